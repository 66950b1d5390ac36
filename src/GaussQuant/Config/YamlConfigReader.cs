using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GaussQuant.Config;

/// <summary>
/// Turns YAML text into a <see cref="ConfigNode"/> tree from YamlDotNet's event stream, without recursion: anchors
/// and aliases (copied, within a <see cref="NodeBudget"/>), merge keys (<c>&lt;&lt;</c>), scalars typed by
/// <see cref="YamlScalars"/>. Duplicate keys, several documents, non-scalar keys and excessive nesting are errors
/// that name the file, line and column.
/// </summary>
internal sealed class YamlConfigReader
{
    private const int MaxDepth = 200;
    private const string MergeKey = "<<";

    private readonly string source;
    private readonly NodeBudget budget;
    private readonly Dictionary<string, ConfigNode> anchors = new(StringComparer.Ordinal);
    private ConfigLocation lastLocation;

    private YamlConfigReader(string source, NodeBudget budget)
    {
        this.source = source;
        this.budget = budget;
        lastLocation = new ConfigLocation(source, 1, 1);
    }

    /// <summary>Reads a config file whose top level is a mapping (an empty file gives an empty mapping).</summary>
    public static ConfigMapping ReadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"{path}: no such config file", path, error);
        }
        return ReadText(text, path);
    }

    /// <summary>Reads config text whose top level is a mapping; <paramref name="source"/> names it in errors.</summary>
    public static ConfigMapping ReadText(string text, string source)
    {
        var root = Read(text, source, new NodeBudget(source));
        return root switch
        {
            null => new ConfigMapping(new ConfigLocation(source, 1, 1)),
            ConfigMapping mapping => mapping,
            _ => throw new ConfigException($"{root.Location}: the top level of a config must be a mapping of keys to values", root.Location),
        };
    }

    /// <summary>Reads one YAML document (e.g. the value of a command-line override); null for an empty document.</summary>
    public static ConfigNode? Read(string text, string source, NodeBudget budget)
    {
        var reader = new YamlConfigReader(source, budget);
        try { return reader.ReadDocument(new Parser(new StringReader(text))); }
        catch (YamlException error)
        {
            var location = new ConfigLocation(source, (int)error.Start.Line, (int)error.Start.Column);
            throw new ConfigException($"{location}: malformed YAML: {StripPosition(error.Message)}", location, error);
        }
        catch (InvalidOperationException error)
        {
            // YamlDotNet's scanner fails this way on some malformed input; the last event read is the best position we have.
            throw new ConfigException($"{reader.lastLocation}: malformed YAML after this point ({error.Message})", reader.lastLocation, error);
        }
    }

    private ConfigNode? ReadDocument(Parser parser)
    {
        ConfigNode? document = null;
        int documents = 0;
        var open = new Stack<Frame>();
        while (parser.MoveNext())
        {
            var parsed = parser.Current!;
            var location = lastLocation = At(parsed.Start);
            ConfigNode? complete = null;
            switch (parsed)
            {
                case DocumentStart:
                    if (++documents > 1) throw new ConfigException($"{location}: a config holds one YAML document, this file has several", location);
                    break;
                case Scalar scalar:
                    complete = Remember(scalar, ScalarFrom(scalar, location));
                    break;
                case AnchorAlias alias:
                    complete = anchors.TryGetValue(alias.Value.Value, out var anchored)
                        ? anchored.Clone(budget)
                        : throw new ConfigException($"{location}: alias *{alias.Value.Value} names no anchor defined before it", location);
                    break;
                case MappingStart or SequenceStart:
                    if (open.Count >= MaxDepth) throw new ConfigException($"{location}: nested more than {MaxDepth} levels deep", location);
                    budget.Spend(location);
                    open.Push(new Frame(parsed is MappingStart ? new ConfigMapping(location) : new ConfigSequence(location), ((NodeEvent)parsed).Anchor));
                    break;
                case MappingEnd or SequenceEnd:
                    var frame = open.Pop();
                    frame.ApplyMerges();
                    complete = frame.Anchor.IsEmpty ? frame.Node : Remember(frame.Anchor, frame.Node);
                    break;
            }
            if (complete is null) continue;
            if (open.Count == 0) document = complete;
            else open.Peek().Add(complete, source);
        }
        return document;
    }

    private ConfigScalar ScalarFrom(Scalar scalar, ConfigLocation location)
    {
        budget.Spend(location);
        try
        {
            object? value = !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific ? YamlScalars.ResolveTagged(scalar.Tag.Value, scalar.Value)
                : scalar.Style == ScalarStyle.Plain ? YamlScalars.Resolve(scalar.Value)
                : scalar.Value;
            return new ConfigScalar(value, location);
        }
        catch (FormatException error)
        {
            throw new ConfigException($"{location}: {error.Message}", location, error);
        }
    }

    private ConfigNode Remember(Scalar scalar, ConfigNode node) => scalar.Anchor.IsEmpty ? node : Remember(scalar.Anchor, node);

    private ConfigNode Remember(AnchorName anchor, ConfigNode node)
    {
        anchors[anchor.Value] = node;
        return node;
    }

    private ConfigLocation At(Mark mark) => new(source, (int)mark.Line, (int)mark.Column);

    private static string StripPosition(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 6, Idx: 21): "; the location is given already.
        int end = message.StartsWith('(') ? message.IndexOf("): ", StringComparison.Ordinal) : -1;
        return end >= 0 ? message[(end + 3)..] : message;
    }

    /// <summary>A mapping or sequence being filled; a mapping alternates between expecting a key and a value.</summary>
    private sealed class Frame(ConfigNode node, AnchorName anchor)
    {
        private readonly List<ConfigMapping> merges = [];
        private ConfigScalar? pendingKey;

        public ConfigNode Node { get; } = node;

        public AnchorName Anchor { get; } = anchor;

        public void Add(ConfigNode child, string source)
        {
            if (Node is ConfigSequence sequence) { sequence.Add(child); return; }
            var mapping = (ConfigMapping)Node;
            if (pendingKey is null)
            {
                pendingKey = child as ConfigScalar
                    ?? throw new ConfigException($"{child.Location}: mapping keys must be plain values, not lists or mappings", child.Location);
                return;
            }
            string key = pendingKey.Text;
            var keyLocation = pendingKey.Location;
            pendingKey = null;
            if (key == MergeKey) { AddMerge(child); return; }
            if (mapping.ContainsKey(key)) throw new ConfigException($"{keyLocation}: duplicate key '{key}'", keyLocation);
            mapping.Set(key, child);
        }

        /// <summary>Merge keys: keys written in the mapping win over merged ones; earlier merge sources win over later ones.</summary>
        public void ApplyMerges()
        {
            if (Node is not ConfigMapping mapping) return;
            foreach (var merged in merges)
                foreach (var (key, value) in merged.Entries)
                    if (!mapping.ContainsKey(key)) mapping.Set(key, value);
        }

        private void AddMerge(ConfigNode value)
        {
            var sources = value switch
            {
                ConfigMapping single => [single],
                ConfigSequence list when list.Items.All(item => item is ConfigMapping) => list.Items.Cast<ConfigMapping>().ToList(),
                _ => throw new ConfigException($"{value.Location}: a merge key (<<) needs a mapping or a list of mappings", value.Location),
            };
            merges.AddRange(sources);
        }
    }
}

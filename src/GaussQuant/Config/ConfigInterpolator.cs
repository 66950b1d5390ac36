using System.Text;

namespace GaussQuant.Config;

/// <summary>
/// Resolves OmegaConf-style interpolations in place: a value that is exactly <c>${a.b.c}</c> becomes a copy of that
/// node (a whole subtree, as in <c>decoder_config.params: ${model.params.encoder_config.params}</c>), one with
/// text around it becomes a string. Paths are absolute, or relative with leading dots (<c>${.sibling}</c>,
/// <c>${..uncle}</c>); <c>\${</c> escapes. References to references are followed; cycles are reported with their
/// chain. Resolvers (<c>${oc.env:X}</c>) and nested interpolations are not supported.
/// </summary>
internal sealed class ConfigInterpolator
{
    /// <summary>How many interpolations may lead to one another before the chain is refused (the authors' configs use a handful).</summary>
    public const int MaxChainLinks = 1000;

    private readonly ConfigMapping root;
    private readonly NodeBudget budget;
    private readonly List<string> resolving = []; // paths of the interpolations being resolved, outermost first

    private ConfigInterpolator(ConfigMapping root, NodeBudget budget)
    {
        this.root = root;
        this.budget = budget;
    }

    public static void ResolveAll(ConfigMapping root, NodeBudget budget) => new ConfigInterpolator(root, budget).ResolveChildren(root, "");


    /// <summary>Resolves everything under <paramref name="node"/> and returns what belongs at <paramref name="path"/>.</summary>
    private ConfigNode Resolve(ConfigNode node, string path)
    {
        // Escaped "\${" also passes through here, to drop its backslash.
        if (node is ConfigScalar { IsInterpolation: true, Value: string text } scalar) return ResolveScalar(scalar, text, path);
        ResolveChildren(node, path);
        return node;
    }

    private void ResolveChildren(ConfigNode node, string path)
    {
        switch (node)
        {
            case ConfigMapping mapping:
                foreach (var (key, child) in mapping.Entries.ToList())
                {
                    var resolved = Resolve(child, ConfigPath.Child(path, key));
                    if (!ReferenceEquals(resolved, child)) mapping.Set(key, resolved);
                }
                break;
            case ConfigSequence sequence:
                for (int i = 0; i < sequence.Items.Count; i++)
                {
                    var child = sequence.Items[i];
                    var resolved = Resolve(child, ConfigPath.Child(path, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    if (!ReferenceEquals(resolved, child)) sequence.Replace(i, resolved);
                }
                break;
        }
    }

    private ConfigNode ResolveScalar(ConfigScalar scalar, string text, string path)
    {
        if (resolving.Contains(path))
            throw new ConfigException(
                $"{scalar.Location}: interpolation cycle: {string.Join(" -> ", resolving.SkipWhile(entry => entry != path))} -> {path}", scalar.Location);
        // Each link is a few stack frames; a bound here turns a 20,000-link chain into a message, not a stack overflow.
        if (resolving.Count >= MaxChainLinks)
            throw new ConfigException(
                $"{scalar.Location}: interpolations refer to interpolations more than {MaxChainLinks} deep ({resolving[0]} -> {resolving[1]} -> … -> {path})",
                scalar.Location);
        resolving.Add(path);
        try
        {
            var parts = Parse(text, scalar);
            if (parts is [{ IsReference: true } whole])
                return Lookup(whole.Text, path, scalar).Clone(budget);
            var builder = new StringBuilder();
            foreach (var part in parts)
            {
                if (!part.IsReference) { builder.Append(part.Text); continue; }
                var value = Lookup(part.Text, path, scalar) as ConfigScalar
                    ?? throw new ConfigException($"{scalar.Location}: {path}: ${{{part.Text}}} is a mapping or list and cannot be part of a string", scalar.Location);
                budget.SpendCharacters(value.Text.Length, scalar.Location);
                builder.Append(value.Text);
            }
            budget.Spend(scalar.Location);
            string resolved = builder.ToString();
            return new ConfigScalar(resolved, scalar.Location) { IsLiteral = resolved.Contains("${", StringComparison.Ordinal) };
        }
        finally
        {
            resolving.RemoveAt(resolving.Count - 1);
        }
    }

    /// <summary>
    /// The node a reference names, fully resolved and written back into the tree. Nodes on the way are only
    /// resolved when they are interpolations themselves: resolving a whole ancestor could reach the
    /// interpolation being resolved and look like a cycle.
    /// </summary>
    private ConfigNode Lookup(string reference, string fromPath, ConfigScalar from)
    {
        ConfigException Missing(string what) =>
            new($"{from.Location}: {fromPath}: ${{{reference}}} cannot be resolved: {what}", from.Location);

        var segments = AbsoluteSegments(reference, fromPath, Missing);
        ConfigNode current = root;
        string currentPath = "";
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            string childPath = ConfigPath.Child(currentPath, segment);
            bool isTarget = i == segments.Length - 1;
            switch (current)
            {
                case ConfigMapping mapping:
                    var child = mapping[segment] ?? throw Missing($"'{childPath}' does not exist");
                    var resolvedChild = isTarget ? Resolve(child, childPath) : ResolveIfInterpolation(child, childPath);
                    if (!ReferenceEquals(resolvedChild, child)) mapping.Set(segment, resolvedChild);
                    current = resolvedChild;
                    break;
                case ConfigSequence sequence:
                    if (!int.TryParse(segment, out int index) || index < 0 || index >= sequence.Items.Count)
                        throw Missing($"'{childPath}' is not an index of the list at '{currentPath}'");
                    var item = sequence.Items[index];
                    var resolvedItem = isTarget ? Resolve(item, childPath) : ResolveIfInterpolation(item, childPath);
                    if (!ReferenceEquals(resolvedItem, item)) sequence.Replace(index, resolvedItem);
                    current = resolvedItem;
                    break;
                default:
                    throw Missing($"'{currentPath}' is a value, not a mapping or list");
            }
            currentPath = childPath;
        }
        return segments.Length == 0 ? Resolve(root, "") : current;
    }

    private ConfigNode ResolveIfInterpolation(ConfigNode node, string path) =>
        node is ConfigScalar { IsInterpolation: true, Value: string text } scalar ? ResolveScalar(scalar, text, path) : node;

    private static string[] AbsoluteSegments(string reference, string fromPath, Func<string, ConfigException> invalid)
    {
        int dots = reference.TakeWhile(c => c == '.').Count();
        if (dots == 0) return ConfigPath.Split(reference, what => invalid(what));
        // A relative reference starts from the mapping holding the interpolation; each further dot climbs one level.
        var basePath = fromPath.Split('.').SkipLast(1).ToList();
        if (dots - 1 > basePath.Count) throw invalid("it climbs above the top of the config");
        basePath.RemoveRange(basePath.Count - (dots - 1), dots - 1);
        string rest = reference[dots..];
        return rest.Length == 0 ? [.. basePath] : [.. basePath, .. ConfigPath.Split(rest, what => invalid(what))];
    }

    private static List<(bool IsReference, string Text)> Parse(string text, ConfigScalar scalar)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                literal.Append("${");
                i += 2;
                continue;
            }
            if (text[i] != '$' || i + 1 >= text.Length || text[i + 1] != '{') { literal.Append(text[i]); continue; }
            int end = text.IndexOf('}', i + 2);
            if (end < 0) throw new ConfigException($"{scalar.Location}: unterminated interpolation in '{text}'", scalar.Location);
            string reference = text[(i + 2)..end].Trim();
            if (reference.Contains("${", StringComparison.Ordinal) || reference.Contains('{'))
                throw new ConfigException($"{scalar.Location}: nested interpolations are not supported ('{text}')", scalar.Location);
            if (reference.Contains(':'))
                throw new ConfigException($"{scalar.Location}: resolver interpolations such as ${{oc.env:NAME}} are not supported ('{text}')", scalar.Location);
            if (literal.Length > 0) { parts.Add((false, literal.ToString())); literal.Clear(); }
            parts.Add((true, reference));
            i = end;
        }
        if (literal.Length > 0) parts.Add((false, literal.ToString()));
        return parts;
    }
}

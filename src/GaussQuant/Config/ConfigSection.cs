namespace GaussQuant.Config;

/// <summary>
/// Typed, strict reading of one mapping of a resolved config (a <c>params</c> block, a Lightning section): every
/// key read is recorded so that <see cref="RejectUnknown"/> can name the ones nobody asked for. Errors carry the
/// full key path and the value's file position.
/// </summary>
internal sealed class ConfigSection
{
    private readonly ConfigMapping mapping;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    private ConfigSection(ConfigMapping mapping, string path)
    {
        this.mapping = mapping;
        Path = path;
    }

    public string Path { get; }

    public ConfigLocation Location => mapping.Location;

    /// <summary>The mapping itself (what training code may want as a raw tree).</summary>
    public ConfigMapping Mapping => mapping;

    /// <summary>A section over <paramref name="node"/>; null or an absent node reads as an empty mapping.</summary>
    public static ConfigSection Of(ConfigNode? node, string path, ConfigLocation fallbackLocation) => node switch
    {
        ConfigMapping mapping => new ConfigSection(mapping, path),
        null or ConfigScalar { Value: null } => new ConfigSection(new ConfigMapping(node?.Location ?? fallbackLocation), path),
        _ => throw new ConfigException($"{node.Location}: {path} must be a mapping of keys to values", node.Location),
    };

    public bool Has(string key) => mapping[key] is not (null or ConfigScalar { Value: null });

    /// <summary>The node at <paramref name="key"/>, or null when absent or null.</summary>
    public ConfigNode? Node(string key)
    {
        read.Add(key);
        return Has(key) ? mapping[key] : null;
    }

    public ConfigSection Section(string key) => Of(Node(key), KeyPath(key), mapping.Location);

    public int Int(string key, int? fallback = null)
    {
        long value = Long(key, fallback);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error(key, $"{value} is out of range");
    }

    public long Long(string key, long? fallback = null) => Node(key) switch
    {
        null => fallback ?? throw Missing(key),
        ConfigScalar { Value: long value } => value,
        var other => throw Error(key, $"expected an integer, found {Describe(other)}"),
    };

    public double Double(string key, double? fallback = null) => Node(key) switch
    {
        null => fallback ?? throw Missing(key),
        ConfigScalar { Value: double value } => value,
        ConfigScalar { Value: long value } => value,
        var other => throw Error(key, $"expected a number, found {Describe(other)}"),
    };

    public bool Bool(string key, bool? fallback = null) => Node(key) switch
    {
        null => fallback ?? throw Missing(key),
        ConfigScalar { Value: bool value } => value,
        var other => throw Error(key, $"expected true or false, found {Describe(other)}"),
    };

    public string String(string key, string? fallback = null) => OptionalString(key) ?? fallback ?? throw Missing(key);

    public string? OptionalString(string key) => Node(key) switch
    {
        null => null,
        ConfigScalar { Value: string value } => value,
        var other => throw Error(key, $"expected a string, found {Describe(other)}"),
    };

    public IReadOnlyList<int>? IntList(string key) => List<int>(key, item => item is long value and >= int.MinValue and <= int.MaxValue ? (int)value : null, "integers");

    public IReadOnlyList<double>? DoubleList(string key) => List<double>(key, item => item switch { double value => value, long value => (double)value, _ => null }, "numbers");

    public IReadOnlyList<string>? StringList(string key) => List<string>(key, item => item as string, "strings");

    /// <summary>A mapping of names to numbers (e.g. <c>regularization_weights</c>); null when absent.</summary>
    public IReadOnlyDictionary<string, double>? NumberMap(string key)
    {
        if (Node(key) is not { } node) return null;
        if (node is not ConfigMapping entries) throw Error(key, $"expected a mapping of names to numbers, found {Describe(node)}");
        return entries.Entries.ToDictionary(pair => pair.Key, pair => pair.Value switch
        {
            ConfigScalar { Value: double value } => value,
            ConfigScalar { Value: long value } => value,
            var other => throw Error($"{key}.{pair.Key}", $"expected a number, found {Describe(other)}"),
        });
    }

    /// <summary>Marks keys as known but without effect here (see docs/configs.md for why each one is ignored).</summary>
    public void Ignore(params string[] keys) => read.UnionWith(keys);

    /// <summary>Fails on the first key that no reader asked for, listing the keys this section understands.</summary>
    public void RejectUnknown()
    {
        var unknown = mapping.Keys.FirstOrDefault(key => !read.Contains(key));
        if (unknown is null) return;
        throw new ConfigException(
            $"{mapping[unknown]!.Location}: unknown key '{KeyPath(unknown)}' (known here: {string.Join(", ", read.Order(StringComparer.Ordinal))})",
            mapping[unknown]!.Location);
    }

    /// <summary>Fails with <paramref name="message"/> about <paramref name="key"/> unless <paramref name="condition"/> holds.</summary>
    public void Require(bool condition, string key, string message)
    {
        if (!condition) throw Error(key, message);
    }

    public ConfigException Error(string key, string message)
    {
        var location = mapping[key]?.Location ?? mapping.Location;
        return new ConfigException($"{location}: {KeyPath(key)}: {message}", location);
    }

    public string KeyPath(string key) => ConfigPath.Child(Path, key);

    private ConfigException Missing(string key) =>
        new($"{mapping.Location}: missing required key '{KeyPath(key)}'", mapping.Location);

    private IReadOnlyList<T>? List<T>(string key, Func<object?, object?> convert, string what)
    {
        if (Node(key) is not { } node) return null;
        if (node is not ConfigSequence sequence) throw Error(key, $"expected a list of {what}, found {Describe(node)}");
        return sequence.Items.Select(item => item is ConfigScalar scalar && convert(scalar.Value) is T value
            ? value : throw Error(key, $"expected a list of {what}, found an element {Describe(item)}")).ToList();
    }

    private static string Describe(ConfigNode node) => node switch
    {
        ConfigMapping => "a mapping",
        ConfigSequence => "a list",
        ConfigScalar { Value: string text } => $"the string '{text}'",
        ConfigScalar scalar => $"'{scalar.Text}'",
        _ => node.GetType().Name,
    };
}

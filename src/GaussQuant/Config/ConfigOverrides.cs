namespace GaussQuant.Config;

/// <summary>
/// Applies OmegaConf dotlist overrides (<c>model.params.encoder_config.params.ch=64</c>) before interpolations are
/// resolved, so values that refer to an overridden key follow it. The value is read as a YAML document
/// (<c>[1,2,2]</c> is a list, <c>1e-4</c> a float, an empty value null); missing keys are created.
/// </summary>
internal static class ConfigOverrides
{
    public static void Apply(ConfigMapping root, IEnumerable<string> overrides, NodeBudget budget)
    {
        foreach (string assignment in overrides)
        {
            var location = new ConfigLocation($"override '{assignment}'");
            int equals = assignment.IndexOf('=');
            if (equals <= 0) throw new ConfigException($"{location}: an override must look like key.path=value", location);
            var segments = ConfigPath.Split(assignment[..equals].Trim(), what => new ConfigException($"{location}: {what}", location));
            var value = YamlConfigReader.Read(assignment[(equals + 1)..], location.Source, budget) ?? new ConfigScalar(null, location);
            Set(root, segments, value, location);
        }
    }

    private static void Set(ConfigMapping root, string[] segments, ConfigNode value, ConfigLocation location)
    {
        ConfigNode current = root;
        for (int i = 0; i < segments.Length; i++)
        {
            string segment = segments[i];
            bool last = i == segments.Length - 1;
            string path = ConfigPath.Join(segments[..(i + 1)]);
            switch (current)
            {
                case ConfigMapping mapping when last:
                    mapping.Set(segment, value);
                    return;
                case ConfigMapping mapping:
                    var child = mapping[segment];
                    if (child is null or ConfigScalar { Value: null })
                        mapping.Set(segment, child = new ConfigMapping(location));
                    current = child;
                    break;
                case ConfigSequence sequence when int.TryParse(segment, out int index) && index >= 0 && index < sequence.Items.Count:
                    if (last) { sequence.Replace(index, value); return; }
                    current = sequence.Items[index];
                    break;
                case ConfigSequence:
                    throw new ConfigException($"{location}: '{path}' is not an index of the list at '{ConfigPath.Join(segments[..i])}'", location);
                default:
                    throw new ConfigException($"{location}: '{ConfigPath.Join(segments[..i])}' is a value, not a mapping; it cannot hold '{segment}'", location);
            }
        }
    }
}

namespace GaussQuant.Config;

/// <summary>
/// Reads configs written in the reference implementation's format (OmegaConf YAML with <c>target</c>/<c>params</c>):
/// YAML → command-line overrides → interpolation, giving the resolved generic tree. Mapping that tree onto typed
/// options is the job of the layer that knows the schema (<c>Experiments.ExperimentLoader</c>). Every problem is a
/// <see cref="ConfigException"/> naming the file, position and key path.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The resolved tree of <paramref name="path"/> after <c>key.path=value</c> overrides.</summary>
    public static ConfigMapping LoadTree(string path, IEnumerable<string>? overrides = null) =>
        Resolve(YamlConfigReader.ReadFile(path), path, overrides);

    /// <summary>Like <see cref="LoadTree"/> for config text held elsewhere (e.g. inside a model file); <paramref name="source"/> names it in errors.</summary>
    public static ConfigMapping LoadTreeText(string yaml, string source, IEnumerable<string>? overrides = null) =>
        Resolve(YamlConfigReader.ReadText(yaml, source), source, overrides);

    private static ConfigMapping Resolve(ConfigMapping root, string source, IEnumerable<string>? overrides)
    {
        var budget = new NodeBudget(source);
        ConfigOverrides.Apply(root, overrides ?? [], budget);
        ConfigInterpolator.ResolveAll(root, budget);
        return root;
    }
}

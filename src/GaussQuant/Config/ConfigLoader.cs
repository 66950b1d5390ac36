namespace GaussQuant.Config;

/// <summary>
/// Reads configs written in the reference implementation's format (OmegaConf YAML with <c>target</c>/<c>params</c>):
/// YAML → command-line overrides → interpolation → typed options. Every problem is a <see cref="ConfigException"/>
/// naming the file, position and key path.
/// </summary>
public static class ConfigLoader
{
    /// <summary>Reads, overrides and resolves <paramref name="path"/> and maps it onto GaussQuant's options.</summary>
    public static ExperimentConfig Load(string path, IEnumerable<string>? overrides = null) => FromTree(LoadTree(path, overrides), path);

    /// <summary>The resolved tree of <paramref name="path"/> after <c>key.path=value</c> overrides, without mapping it.</summary>
    public static ConfigMapping LoadTree(string path, IEnumerable<string>? overrides = null) =>
        Resolve(YamlConfigReader.ReadFile(path), path, overrides);

    /// <summary>Like <see cref="Load"/> for config text held elsewhere (e.g. inside a model file); <paramref name="source"/> names it in errors.</summary>
    public static ExperimentConfig LoadText(string yaml, string source, IEnumerable<string>? overrides = null) =>
        FromTree(Resolve(YamlConfigReader.ReadText(yaml, source), source, overrides), source);

    private static ConfigMapping Resolve(ConfigMapping root, string source, IEnumerable<string>? overrides)
    {
        var budget = new NodeBudget(source);
        ConfigOverrides.Apply(root, overrides ?? [], budget);
        ConfigInterpolator.ResolveAll(root, budget);
        return root;
    }

    /// <summary>Maps a resolved tree onto the options; <paramref name="source"/> names it in errors.</summary>
    public static ExperimentConfig FromTree(ConfigMapping tree, string source)
    {
        var top = ConfigSection.Of(tree, "", new ConfigLocation(source));
        if (!top.Has("model")) throw new ConfigException($"{tree.Location}: missing required key 'model'", tree.Location);
        var config = new ExperimentConfig
        {
            Source = source,
            Model = ModelTargets.Read(top.Section("model")),
            Data = top.Has("data") ? ReadData(top.Section("data")) : null,
            Trainer = LightningTargets.Read(top.Section("lightning")),
            Tree = tree,
        };
        top.Ignore("data");
        top.RejectUnknown();
        return config;
    }

    private static DataOptions ReadData(ConfigSection data)
    {
        var (_, parameters) = TargetRegistry.ReadTarget(data, TargetRegistry.ImageDataModule);
        data.RejectUnknown();
        return DataTargets.Read(parameters);
    }
}

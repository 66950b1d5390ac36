using GaussQuant.Config;

namespace GaussQuant.Experiments;

/// <summary>
/// Reads a config in the reference implementation's format and maps it onto GaussQuant's options: the generic tree
/// comes from <see cref="ConfigLoader"/>, the schema (model, data, lightning) is read here.
/// </summary>
public static class ExperimentLoader
{
    /// <summary>Reads, overrides and resolves <paramref name="path"/> and maps it onto GaussQuant's options.</summary>
    public static ExperimentConfig Load(string path, IEnumerable<string>? overrides = null) =>
        FromTree(ConfigLoader.LoadTree(path, overrides), path);

    /// <summary>Like <see cref="Load"/> for config text held elsewhere (e.g. inside a model file); <paramref name="source"/> names it in errors.</summary>
    public static ExperimentConfig LoadText(string yaml, string source, IEnumerable<string>? overrides = null) =>
        FromTree(ConfigLoader.LoadTreeText(yaml, source, overrides), source);

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

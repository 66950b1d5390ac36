using GaussQuant.Experiments;
using GaussQuant.Training;
using GaussQuant.Training.Loop;

namespace GaussQuant.Pipelines;

/// <summary>
/// <c>gq train</c>: decides the run directory and the config (the run's own <c>config.yaml</c> when resuming), loads the
/// config with the data folder and overrides applied, and runs the <see cref="Trainer"/>.
/// </summary>
public static class TrainPipeline
{
    public static TrainingResult Run(TrainOptions options, IProgress<TrainingEvent>? progress = null, CancellationToken cancellation = default) =>
        new Trainer(Resolve(options)).Run(progress, cancellation);

    /// <summary>The trainer's options: defaults filled in, the config loaded; nothing is written yet.</summary>
    public static TrainingOptions Resolve(TrainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Resume && options.RunDirectory is null)
            throw new ArgumentException("--resume needs --out RUNDIR naming the run to continue");
        string configPath = options.ConfigPath is { } given ? Path.GetFullPath(given)
            : options.Resume ? Path.Combine(Path.GetFullPath(options.RunDirectory!), "config.yaml")
            : throw new ArgumentException("--config is required (or --resume with --out)");
        var overrides = new List<string>(options.Overrides);
        if (options.DataPath is string dataPath)
            overrides.Add($"data.params.train.params.root={Path.GetFullPath(dataPath)}");
        if (options.VisionFoundationWeights is string vfPath)
            overrides.Add($"model.params.{ModelConfig.VisionFoundationWeightsKey}={Path.GetFullPath(vfPath)}");
        var config = ExperimentLoader.Load(configPath, overrides);
        return new TrainingOptions
        {
            Config = config,
            RunDirectory = Path.GetFullPath(options.RunDirectory ?? Path.Combine("runs", Path.GetFileNameWithoutExtension(configPath))),
            Resume = options.Resume,
            Overwrite = options.Overwrite,
            Settings = options.Settings,
            Ranks = options.Communicator,
        };
    }
}

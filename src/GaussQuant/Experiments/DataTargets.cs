using GaussQuant.Config;

namespace GaussQuant.Experiments;

/// <summary>Maps the <c>data</c> section onto <see cref="DataOptions"/>.</summary>
internal static class DataTargets
{
    public static DataOptions Read(ConfigSection p)
    {
        var options = new DataOptions
        {
            BatchSize = p.Int("batch_size", 16),
            WorkerCount = p.Int("num_workers", 16),
        };
        p.Ignore("prefetch_factor"); // a PyTorch DataLoader setting with no counterpart in our loader
        if (p.Has("train"))
        {
            var (_, dataset) = TargetRegistry.Read(p, "train", TargetRegistry.ImageFolderDataset);
            options = options with { TrainRoot = dataset.String("root"), ImageSize = dataset.Int("image_size") };
            dataset.RejectUnknown();
            dataset.Require(options.ImageSize > 0, "image_size", "must be positive");
        }
        else p.Ignore("train");
        p.RejectUnknown();
        p.Require(options.BatchSize > 0, "batch_size", "must be positive");
        p.Require(options.WorkerCount >= 0, "num_workers", "must not be negative");
        return options;
    }
}

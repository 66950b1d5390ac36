using GaussQuant.Config;

namespace GaussQuant.Experiments;

/// <summary>
/// Maps the <c>lightning</c> section (checkpointing, image logger, trainer) onto <see cref="TrainerOptions"/>.
/// Settings that only steer Lightning's hardware use are read and ignored (see docs/configs.md).
/// </summary>
internal static class LightningTargets
{
    public static TrainerOptions Read(ConfigSection lightning)
    {
        var checkpoint = ParamsOf(lightning, "modelcheckpoint");
        var options = new TrainerOptions { CheckpointEverySteps = OptionalPositive(checkpoint, "every_n_train_steps") };
        checkpoint.Ignore("save_top_k"); // every checkpoint written is kept
        checkpoint.RejectUnknown();

        var callbacks = lightning.Section("callbacks");
        var weights = ParamsOf(callbacks, "metrics_over_trainsteps_checkpoint");
        options = options with { WeightsEverySteps = OptionalPositive(weights, "every_n_train_steps") };
        weights.RejectUnknown();
        if (callbacks.Has("image_logger")) options = ReadImageLogger(callbacks, options);
        else callbacks.Ignore("image_logger");
        callbacks.RejectUnknown();

        var trainer = lightning.Section("trainer");
        trainer.Ignore("devices", "num_nodes", "benchmark", "num_sanity_val_steps"); // hardware and Lightning bookkeeping
        var precision = trainer.Node("precision");
        trainer.Require(precision is null || precision is ConfigScalar { Text: "32" or "32-true" }, "precision", "only 32-bit training is supported");
        trainer.Require(trainer.Int("accumulate_grad_batches", 1) == 1, "accumulate_grad_batches",
            "only 1 is supported (the reference optimises manually and cannot accumulate)");
        int maxEpochs = trainer.Int("max_epochs", -1);
        long maxSteps = trainer.Long("max_steps", -1);
        trainer.RejectUnknown();
        lightning.RejectUnknown();
        return options with { MaxEpochs = maxEpochs < 0 ? null : maxEpochs, MaxSteps = maxSteps < 0 ? null : maxSteps };
    }

    private static TrainerOptions ReadImageLogger(ConfigSection callbacks, TrainerOptions options)
    {
        var (_, p) = TargetRegistry.Read(callbacks, "image_logger", TargetRegistry.ImageLogger);
        bool disabled = p.Bool("disabled", false);
        var logging = options with
        {
            ImageLogEverySteps = OptionalPositive(p, "batch_frequency"),
            ImagesPerLog = p.Int("max_images", 8),
            ImageLogAtPowersOfTwo = p.Bool("increase_log_steps", true),
            ImageLogAtFirstStep = p.Bool("log_first_step", false),
        };
        p.Require(!p.Bool("enable_autocast", false), "enable_autocast", "only false (full precision) is supported");
        p.Require(p.Bool("clamp", true) && p.Bool("rescale", true), "clamp", "images are always clamped to [-1, 1] and rescaled");
        p.Ignore("log_images_kwargs"); // the reference swallows N and n_rows too
        p.RejectUnknown();
        p.Require(logging.ImagesPerLog > 0, "max_images", "must be positive");
        return disabled ? logging with { ImageLogEverySteps = null } : logging;
    }

    /// <summary>The <c>params</c> of a callback the reference configures without a target.</summary>
    private static ConfigSection ParamsOf(ConfigSection owner, string key)
    {
        var callback = owner.Section(key);
        var parameters = callback.Section("params");
        callback.RejectUnknown();
        return parameters;
    }

    private static long? OptionalPositive(ConfigSection p, string key)
    {
        if (!p.Has(key)) { p.Ignore(key); return null; }
        long value = p.Long(key);
        p.Require(value > 0, key, "must be positive");
        return value;
    }
}

using GaussQuant.Cli;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Imaging;
using GaussQuant.Models;
using GaussQuant.Tests.Config;
using GaussQuant.Training;
using GaussQuant.Experiments;
using GaussQuant.Training.Loop;

namespace GaussQuant.Tests.Training;

/// <summary>End-to-end runs of the trainer on a tiny model and a dozen generated 16×16 images.</summary>
[Collection(ProcessWideStateCollection.Name)] // compares runs whose initial weights come from the global generator
public sealed class TrainerTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"gq-train-{Guid.NewGuid():N}");
    private readonly string data;

    public TrainerTests()
    {
        data = Path.Combine(root, "data");
        NoiseImages.Write(data, 12);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private ExperimentConfig Config(params string[] extra) =>
        ExperimentLoader.Load(Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml"),
        [
            "model.params.encoder_config.params.ch_mult=[1,2]", "model.params.encoder_config.params.attn_resolutions=[]",
            "model.params.encoder_config.params.resolution=16", "model.params.regularizer_config.params.n_samples=64",
            "data.params.batch_size=4", "data.params.train.params.image_size=16", $"data.params.train.params.root={data}",
            .. extra,
        ]);

    private TrainingOptions Options(string run, long maxSteps, ExperimentConfig? config = null) => new()
    {
        Config = config ?? Config(), RunDirectory = Path.Combine(root, run),
        Settings = new() { MaxSteps = maxSteps, CheckpointEverySteps = 3, LogEverySteps = 2, SampleEverySteps = 3, DataWorkers = 2 },
    };

    [Fact]
    public void TheTrainingLossSeesReconstructionsClampedToTheConfigsClampRange()
    {
        // Far outside the images' [-1, 1], so the clamped reconstruction is 5 everywhere and rec = 5 - mean(x) ≥ 4;
        // unclamped, an untrained decoder's output is within about 1 of the images.
        var events = new List<TrainingEvent>();
        new Trainer(Options("clamped", 2, Config("model.params.clamp_range=[5,5.001]"))).Run(new SynchronousProgress<TrainingEvent>(events.Add));
        var logged = events.OfType<TrainingStepLogged>().Single().Metrics;
        Assert.InRange(logged.Reconstruction, 4.0, 6.001);
    }

    [Fact]
    public void ARunLeavesCheckpointsMetricsSamplesAndAModelThatLoadsOnItsOwn()
    {
        var events = new List<TrainingEvent>();
        var result = new Trainer(Options("run", 5)).Run(new SynchronousProgress<TrainingEvent>(events.Add));

        Assert.Equal(5, result.FinalStep);
        Assert.False(result.Interrupted);
        string run = Path.Combine(root, "run");
        foreach (string file in new[] { "config.yaml", "metrics.csv", "model.safetensors", "checkpoints/last",
                     "checkpoints/step-000003.safetensors", "checkpoints/state-000003.bin", "checkpoints/step-000005.safetensors",
                     "images/step-000003.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);
        Assert.NotEmpty(Directory.GetFiles(run, "events.out.tfevents.*"));
        Assert.Equal("5", File.ReadAllText(Path.Combine(run, "checkpoints", "last")).Trim());
        var rows = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.StartsWith("step,epoch,phase,images_per_s,loss", rows[0]);
        Assert.Equal(["2", "4", "5"], rows.Skip(1).Select(row => row.Split(',')[0]));
        Assert.Contains(events, e => e is SamplesWritten { Step: 3 });
        var logged = events.OfType<TrainingStepLogged>().Select(e => e.Metrics).ToList();
        Assert.All(logged, m => Assert.True(double.IsFinite(m.Loss) && m.Bits.Max >= m.Bits.Mean && m.Bits.Mean >= m.Bits.Min));

        using var model = TokenizerModel.Load(null, result.FinalModelPath);
        Assert.Equal(64, model.Config.Model.Tokens!.CodebookSize);
        // Model files travel: their config names the data folder, not where it lay on this machine; the run's own
        // config.yaml, which --resume reads, keeps the full path.
        Assert.Empty(AbsolutePaths.In(model.Config.Tree));
        Assert.Empty(AbsolutePaths.In(TokenizerModel.ConfigOf(Path.Combine(run, "checkpoints", "step-000005.safetensors")).Tree));
        Assert.Equal("data", model.Config.Data!.TrainRoot);
        Assert.Contains(data, File.ReadAllText(Path.Combine(run, "config.yaml")));
    }

    [Fact]
    public void AResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne()
    {
        new Trainer(Options("whole", 6)).Run();
        new Trainer(Options("split", 3)).Run();
        var resumed = new Trainer(Options("split", 6) with { Resume = true }).Run();
        Assert.Equal(6, resumed.FinalStep);
        Assert.Equal(TensorBytes(Path.Combine(root, "whole", "checkpoints", "step-000006.safetensors")),
            TensorBytes(Path.Combine(root, "split", "checkpoints", "step-000006.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "whole", "checkpoints", "state-000006.bin")),
            File.ReadAllBytes(Path.Combine(root, "split", "checkpoints", "state-000006.bin")));
    }

    [Fact]
    public void CancellingWritesACheckpointAndStops()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingEvent>(update =>
        {
            if (update is TrainingStepLogged { Metrics.Step: 2 }) cancellation.Cancel();
        });
        var result = new Trainer(Options("stopped", 100)).Run(progress, cancellation.Token);
        Assert.True(result.Interrupted);
        Assert.Equal(2, result.FinalStep);
        Assert.Equal("2", File.ReadAllText(Path.Combine(root, "stopped", "checkpoints", "last")).Trim());
    }

    [Fact]
    public void UnreadableImagesAreSkippedAndCounted()
    {
        File.WriteAllText(Path.Combine(data, "broken.png"), "not an image");
        var events = new List<TrainingEvent>();
        var result = new Trainer(Options("skipping", 4)).Run(new SynchronousProgress<TrainingEvent>(events.Add));
        Assert.Equal(1, result.SkippedImages);
        Assert.Contains(events, e => e is TrainingImageSkipped { File: var file } && file.EndsWith("broken.png"));
    }

    [Fact]
    public void APerceptualLossWithoutWeightsStopsBeforeTrainingAndSaysHowToFixIt()
    {
        var options = Options("lpips", 2, Config("model.params.loss_config.params.perceptual_weight=1.0"));
        var error = Assert.Throws<ArgumentException>(() => new Trainer(options).Run());
        Assert.Contains("--lpips-weights", error.Message);
        Assert.Contains("perceptual_weight=0", error.Message);
        Assert.False(File.Exists(Path.Combine(root, "lpips", "checkpoints", "last")));
    }

    [Fact]
    public void ANewRunRefusesADirectoryThatHoldsOne()
    {
        new Trainer(Options("taken", 3)).Run();
        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(Options("taken", 3)).Run());
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void AResumeAfterAKillShowsEachStepOnceInMetricsAndTensorBoard()
    {
        string run = Path.Combine(root, "killed");
        new Trainer(Options("killed", 5)).Run();
        // As if killed after logging steps 4 and 5 but before checkpoint 5 was marked: the resume replays them from 3.
        File.WriteAllText(Path.Combine(run, "checkpoints", "last"), "3\n");
        new Trainer(Options("killed", 6) with { Resume = true }).Run();

        var logged = File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(row => long.Parse(row.Split(',')[0])).ToList();
        Assert.Equal([2, 4, 6], logged);
        var shown = TensorBoardHistory.Read(run);
        Assert.Equal(15, shown.Count);
        Assert.All(shown.Values, steps => Assert.Equal(logged, steps));
    }

    [Fact]
    public void ANewRunReplacesAnEarlierOnesFilesOnlyWhenToldTo()
    {
        string run = Path.Combine(root, "earlier");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "the only copy");
        File.WriteAllText(Path.Combine(run, "notes.txt"), "mine");
        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(Options("earlier", 2)).Run());
        Assert.Contains("--overwrite", error.Message);
        Assert.Equal("the only copy", File.ReadAllText(Path.Combine(run, "metrics.csv")));

        new Trainer(Options("earlier", 2) with { Overwrite = true }).Run();
        Assert.StartsWith("step,", File.ReadAllText(Path.Combine(run, "metrics.csv")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(run, "notes.txt")));
        Assert.Throws<ArgumentException>(() => new Trainer(Options("earlier", 2) with { Overwrite = true, Resume = true }));
    }

    [Fact]
    public void ASecondTrainerOnTheSameRunDirectoryIsRefused()
    {
        string run = Path.Combine(root, "busy");
        Directory.CreateDirectory(run);
        using (GaussQuant.IO.OutputLock.Acquire(GaussQuant.IO.OutputLock.LockPathOfFolder(run), run))
            Assert.Contains("is being written by another gq process", Assert.Throws<GaussQuant.IO.OutputRefusedException>(() => new Trainer(Options("busy", 2)).Run()).Message);
        Assert.Empty(Directory.GetFileSystemEntries(run));
    }

    [Fact]
    public void ADivergingRunStopsNamingTheStepAndTermAndKeepsTheLastGoodCheckpoint()
    {
        var options = Options("diverging", 50, Config("model.base_learning_rate=1e12"));
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(options).Run());
        Assert.Contains($"step {error.Step}", error.Message);
        Assert.Contains(error.Term, error.Message);
        string last = Path.Combine(root, "diverging", "checkpoints", "last");
        if (File.Exists(last))
            Assert.True(long.Parse(File.ReadAllText(last)) < error.Step);
    }

    /// <summary>The tiny config aligned to the fixture's small DINOv2 (tests/fixtures/vf) as the authors' VF config does.</summary>
    private ExperimentConfig VfConfig(string weights) => Config(
        "model.params.use_vf=dinov2", "model.params.reverse_proj=true", "model.params.loss_config.params.vf_weight=0.2",
        $"model.params.{ModelConfig.VisionFoundationWeightsKey}={TestPaths.Fixture("vf", weights)}");

    [Theory]
    [InlineData("dinov2_timm.safetensors")]
    [InlineData("dinov2_hf.bin")]
    public void AVfRunLogsFiniteAlignmentTrainsLinearProjAndResumesBitwise(string weights)
    {
        TrainingOptions Every2(string run, long steps) => Options(run, steps, VfConfig(weights)) is var o
            ? o with { Settings = o.Settings with { CheckpointEverySteps = 2 } } : o;
        new Trainer(Every2("whole", 4)).Run();
        new Trainer(Every2("split", 2)).Run();
        new Trainer(Every2("split", 4) with { Resume = true }).Run();
        string whole = Path.Combine(root, "whole", "checkpoints", "step-000004.safetensors");
        Assert.Equal(TensorBytes(whole), TensorBytes(Path.Combine(root, "split", "checkpoints", "step-000004.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "whole", "checkpoints", "state-000004.bin")),
            File.ReadAllBytes(Path.Combine(root, "split", "checkpoints", "state-000004.bin")));

        using (var checkpoint = CheckpointLoader.Load(whole))
        using (var initial = CheckpointLoader.Load(Path.Combine(root, "whole", "checkpoints", "step-000002.safetensors")))
        {
            // latent channels up to the DINOv2 features (reverse_proj, no bias), at the reference model's top level
            Assert.Equal([64L, 16, 1, 1], checkpoint.Tensors["linear_proj.weight"].shape);
            Assert.DoesNotContain(checkpoint.Tensors.Keys, key => key.StartsWith("linear_proj.bias") || key.Contains("cls_token"));
            Assert.NotEqual(initial.Tensors["linear_proj.weight"].data<float>().ToArray(), checkpoint.Tensors["linear_proj.weight"].data<float>().ToArray());
        }
        var rows = File.ReadAllLines(Path.Combine(root, "whole", "metrics.csv"));
        var header = rows[0].Split(',');
        int vf = Array.IndexOf(header, "vf"), weight = Array.IndexOf(header, "vf_weight");
        Assert.True(vf > 0 && weight > 0 && header.Contains("vf_distmat") && header.Contains("vf_cos"));
        foreach (var row in rows.Skip(1).Select(line => line.Split(',')))
        {
            double value = double.Parse(row[vf], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(double.IsFinite(value) && value > 0, $"vf {row[vf]}");
            Assert.True(double.Parse(row[weight], System.Globalization.CultureInfo.InvariantCulture) > 0, $"vf_weight {row[weight]}");
        }
        Assert.Equal([2L, 4L], TensorBoardHistory.Read(Path.Combine(root, "whole"))["train/loss/vf"]);

        // Inference needs no DINOv2: the final model is the autoencoder alone, and a training checkpoint loads too.
        using var model = TokenizerModel.Load(null, Path.Combine(root, "whole", "model.safetensors"));
        using var fromCheckpoint = TokenizerModel.Load(null, whole);
        Assert.Equal("dinov2", model.Config.Model.VisionFoundationModel);
    }

    [Fact]
    public void AVfConfigWithoutDinov2WeightsFailsAtTheStartNamingWhatToDownload()
    {
        var config = Config("model.params.use_vf=dinov2", "model.params.reverse_proj=true");
        var error = Assert.Throws<ArgumentException>(() => new Trainer(Options("vf", 2, config)));
        Assert.Contains("--vf-weights", error.Message);
        Assert.Contains("vit_large_patch14_dinov2.lvd142m", error.Message);
        Assert.Contains("facebook/dinov2-large", error.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "vf")));

        var missing = Config("model.params.use_vf=dinov2", $"model.params.{ModelConfig.VisionFoundationWeightsKey}={Path.Combine(root, "absent.safetensors")}");
        Assert.Throws<FileNotFoundException>(() => new Trainer(Options("vf", 2, missing)));
        var unused = Config($"model.params.{ModelConfig.VisionFoundationWeightsKey}={TestPaths.Fixture("vf", "dinov2_timm.safetensors")}");
        Assert.Contains("use_vf", Assert.Throws<ArgumentException>(() => new Trainer(Options("vf", 2, unused))).Message);
    }

    private static byte[] TensorBytes(string safetensorsPath)
    {
        using var checkpoint = CheckpointLoader.Load(safetensorsPath);
        return checkpoint.Tensors.OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .SelectMany(pair => pair.Value.bytes.ToArray()).ToArray();
    }
}

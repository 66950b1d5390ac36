using System.Diagnostics;
using GaussQuant.Imaging;
using GaussQuant.Tests.IO;
using GaussQuant.Tests.Pipelines;

namespace GaussQuant.Tests.Cli;

/// <summary>
/// SIGTERM (what timeout, Slurm and Kubernetes send) stops gq like Ctrl+C: outputs staged so far are removed, the
/// trainer writes its checkpoint, and the exit code is 128 + the signal's number. Each test waits for a sign that gq
/// is inside its job before signalling, so none depends on timing.
/// </summary>
public class GqInterruptionTests
{
    private const int Sigint = 2, Sigterm = 15;

    [Theory]
    [InlineData(Sigterm, 143)]
    [InlineData(Sigint, 130)]
    public async Task ASignalStopsReconstructAndLeavesNoStagingFolder(int signal, int exitCode)
    {
        using var model = new PipelineTestModel();
        using var folder = new TemporaryFolder();
        PipelineTestModel.WritePictures(folder["in"], 2);
        // A named pipe nobody writes to: gq reads the pictures before it, stages their images, then waits on it for ever.
        string pipe = folder["in/zz-never-ready.png"];
        SpecialFiles.MakeFifo(pipe);

        using var running = new RunningGq(Gq.Start(null, new Dictionary<string, string>(), "reconstruct", "--config", model.ConfigPath,
            "--ckpt", model.WeightsPath, folder["in"], "-o", folder["out"], "--batch", "1"));
        var gq = running.Process;
        var errors = gq.StandardError.ReadToEndAsync();
        var output = gq.StandardOutput.ReadToEndAsync();
        RunningGq.WaitUntil(gq, () => Directory.Exists(folder["out"]) &&
                            Directory.EnumerateFiles(folder["out"], "*.png", SearchOption.AllDirectories).Count() == 2);

        await Signal(gq, signal);
        await gq.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        string printed = await errors;
        Assert.True(gq.ExitCode == exitCode, $"exit code {gq.ExitCode}; stderr: {printed} stdout: {await output}");
        Assert.Contains("gq: interrupted; partial outputs were removed", printed);
        Assert.False(Directory.Exists(folder["out"]), "the output folder gq created is still there");
    }

    [Fact]
    public async Task SigtermStopsTrainingWithACheckpointAndSaysSo()
    {
        using var folder = new TemporaryFolder();
        var random = new Random(5);
        Directory.CreateDirectory(folder["data"]);
        for (int i = 0; i < 8; i++)
        {
            var pixels = new byte[16 * 16 * 3];
            random.NextBytes(pixels);
            ImageEncoder.WritePng(folder[$"data/image{i}.png"], new RgbImage(16, 16, pixels));
        }
        using var running = new RunningGq(Gq.Start(null, new Dictionary<string, string>(), "train",
            "--config", Path.Combine(TestPaths.RepositoryRoot, "configs", "cifar32_k4096.yaml"), "--data", folder["data"], "--out", folder["run"],
            "--max-steps", "1000000", "--log-every", "1", "--checkpoint-every", "1000000", "--sample-every", "1000000", "--threads", "1",
            "model.params.encoder_config.params.ch_mult=[1,2]", "model.params.encoder_config.params.attn_resolutions=[]",
            "model.params.encoder_config.params.resolution=16", "model.params.regularizer_config.params.n_samples=64",
            "data.params.batch_size=4", "data.params.train.params.image_size=16"));
        var gq = running.Process;
        var errors = gq.StandardError.ReadToEndAsync();
        var output = gq.StandardOutput.ReadToEndAsync();
        // metrics.csv gains its first row after the first logged step: gq is inside the training loop.
        string metrics = folder["run/metrics.csv"];
        RunningGq.WaitUntil(gq, () => File.Exists(metrics) && File.ReadLines(metrics).Skip(1).Any());

        await Signal(gq, Sigterm);
        string rest = await output;
        await gq.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        string printed = await errors;
        Assert.True(gq.ExitCode == 143, $"exit code {gq.ExitCode}; stderr: {printed}");
        Assert.Contains("gq: SIGTERM: stopping after this step and writing a checkpoint", printed);
        Assert.Contains("the checkpoint is written, continue with gq train --resume", printed);
        long step = long.Parse(File.ReadAllText(folder["run/checkpoints/last"]).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(step >= 1);
        Assert.True(File.Exists(folder[$"run/checkpoints/step-{step:D6}.safetensors"]));
        Assert.Contains($"checkpoint: {folder[$"run/checkpoints/step-{step:D6}.safetensors"]}", rest);
    }

    /// <summary>Sends <paramref name="signal"/> with kill(1), as a user or a batch system would.</summary>
    private static async Task Signal(Process gq, int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", gq.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}

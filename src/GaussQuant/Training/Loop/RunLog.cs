using System.Diagnostics;
using GaussQuant.Imaging;
using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>
/// The log phase: a logged step's row of <see cref="MetricTable"/> goes to <c>metrics.csv</c> and TensorBoard, the
/// throughput since the last logged step, the recent tokens' codebook usage, and the sample grids.
/// </summary>
internal sealed class RunLog : IDisposable
{
    private const int SampleImages = 8;

    private readonly TrainingSetup setup;
    private readonly MetricsCsv metricsCsv;
    private readonly TensorBoardEvents tensorBoard;
    private readonly RecentTokenWindow? window;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int imagesSinceLog;

    public RunLog(TrainingSetup setup)
    {
        this.setup = setup;
        metricsCsv = new MetricsCsv(setup.Run.MetricsPath, setup.ResumeStep);
        tensorBoard = new TensorBoardEvents(setup.Run.Root, setup.ResumeStep is long checkpointStep ? checkpointStep + 1 : 0);
        window = setup.Model.Quantizer.Tokens is { IsCountable: true } format
            ? new RecentTokenWindow(format.PerPosition, (int)format.CodebookSize, Math.Max(4L * format.CodebookSize * format.PerPosition, 16384))
            : null;
    }

    /// <summary>Counts a trained batch towards the throughput of the next logged step.</summary>
    public void Trained(int images) => imagesSinceLog += images;

    /// <summary>Writes <paramref name="metrics"/> (with the throughput since the last logged step) and adds the batch's tokens to the usage window.</summary>
    public TrainingStepLogged Write(TrainingStepMetrics metrics, Tensor images)
    {
        var logged = metrics with { ImagesPerSecond = imagesSinceLog / clock.Elapsed.TotalSeconds };
        if (window is not null)
            using (var tokens = setup.Model.Quantize(images, new Generator((ulong)setup.Options.Settings.Seed)))
                window.Add(tokens.Indices);
        metricsCsv.Append(logged);
        tensorBoard.AddScalars(logged.Step, MetricTable.Scalars(logged));
        imagesSinceLog = 0;
        clock.Restart();
        return new TrainingStepLogged(logged);
    }

    /// <summary>Inputs | VQ reconstructions | posterior-mean reconstructions (no VQ row for a model without tokens).</summary>
    public SamplesWritten WriteSamples(Tensor images, long step)
    {
        using var scope = NewDisposeScope();
        var model = setup.Model;
        var shown = images.narrow(0, 0, Math.Min(SampleImages, images.shape[0]));
        var rows = new List<IReadOnlyList<RgbImage>> { ImageTensors.ToImages(shown) };
        using (no_grad())
        {
            if (model.Quantizer.Tokens is not null)
                rows.Add(ImageTensors.ToImages(model.Decode(model.Quantize(shown, new Generator((ulong)setup.Options.Settings.Seed)).Quantized)));
            rows.Add(ImageTensors.ToImages(model.Decode(model.EncodeContinuous(shown, new Generator((ulong)setup.Options.Settings.Seed)).Mean)));
        }
        string path = setup.Run.SamplesPath(step);
        ImageEncoder.WritePng(path, ImageGrid.Compose(rows));
        var usage = window is { Tokens: > 0 } ? window.Summarize().Pooled : null;
        return new SamplesWritten(step, path, usage?.UsageFraction ?? 0, usage?.EntropyBits ?? 0, window?.Tokens ?? 0);
    }

    public void Dispose() => tensorBoard.Dispose();
}

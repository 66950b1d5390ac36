using System.CommandLine;
using GaussQuant.Experiments;
using GaussQuant.Models;

namespace GaussQuant.Cli.Commands;

/// <summary>The workload options <c>gq bench encode</c> and <c>gq bench decode</c> share: batch, images, size, precision.</summary>
internal sealed class PipelineBenchArguments
{
    public PipelineBenchArguments(int defaultBatch, int defaultImages, string verb)
    {
        Batch = new Option<int>("--batch") { Description = "Images per model call.", DefaultValueFactory = _ => defaultBatch };
        Images = new Option<int>("--images") { Description = $"Images {verb} in the timed run.", DefaultValueFactory = _ => defaultImages };
    }

    public Option<int> Batch { get; }

    public Option<int> Images { get; }

    public Option<int?> Size { get; } = new("--size") { HelpName = "S", Description = "Image side the model sees. Default: the config's resolution." };

    public PrecisionOption Precision { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Batch);
        command.Options.Add(Images);
        command.Options.Add(Size);
        command.Options.Add(Precision);
    }

    public int SizeOf(ParseResult parsed, ExperimentConfig config) => parsed.GetValue(Size) ?? config.Model.Encoder.NominalImageSize;

    public InferencePrecision PrecisionOf(ParseResult parsed) => parsed.GetValue(Precision).Resolve();

    /// <summary>The workload's first output line, e.g. <c>config=… images=16 size=256 batch=4 threads=2 precision=fp32</c>.</summary>
    public static string Describe(ExperimentConfig config, int images, int size, int batch, int threads, InferencePrecision precision) =>
        $"config={config.Source} images={images} size={size} batch={batch} threads={threads} precision={precision.Name()}";
}

namespace GaussQuant.Pipelines;

/// <summary>The workload of <see cref="EncodeBenchmark"/> (the files are 4:3 photo-sized, resized and cropped to <see cref="NetworkBenchmarkOptions.Size"/>).</summary>
public sealed record EncodeBenchmarkOptions : PipelineBenchmarkOptions
{
    public EncodeBenchmarkOptions()
    {
        BatchSize = 16;
        Images = 64;
    }
}

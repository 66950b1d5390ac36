using GaussQuant.Pipelines;

namespace GaussQuant.Tests.Pipelines;

/// <summary>Collects progress reports synchronously (System.Progress would post them to the thread pool).</summary>
internal sealed class Recorder(List<PipelineProgress> reports, Action<PipelineProgress>? onReport = null) : IProgress<PipelineProgress>
{
    public void Report(PipelineProgress value)
    {
        reports.Add(value);
        onReport?.Invoke(value);
    }
}

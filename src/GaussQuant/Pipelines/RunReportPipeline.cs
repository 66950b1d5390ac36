using GaussQuant.Reports;
using GaussQuant.Reports.Html;

namespace GaussQuant.Pipelines;

/// <summary>
/// <c>gq report RUNDIR -o RUN.html</c>: the training run's page, read from the run directory's files alone (it works on
/// a finished run, on one still going, and on a copy of a run from another machine) and written atomically.
/// </summary>
public static class RunReportPipeline
{
    /// <returns>What the page shows, for the caller to summarise.</returns>
    public static TrainingRunPage Run(string runDirectory, string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var page = TrainingRunPage.Load(runDirectory);
        TrainingRunPageRenderer.Write(outputPath, page);
        return page;
    }
}

using System.Diagnostics;
using GaussQuant.Pipelines;
using Spectre.Console;

namespace GaussQuant.Cli;

/// <summary>
/// Runs a long job with its progress shown on stderr: a Spectre.Console progress bar per stage on a terminal, plain
/// lines (every few seconds and at each stage's end) when stderr is redirected, so logs stay readable. Ctrl+C and
/// SIGTERM cancel the job through its token (the pipelines then remove their partial outputs) instead of killing gq.
/// </summary>
internal static class ProgressRendering
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public static T Run<T>(Func<IProgress<PipelineProgress>, CancellationToken, T> job)
    {
        using var interrupt = new Interruption();
        if (Console.IsErrorRedirected)
            return job(new PlainLines(), interrupt.Token);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context => job(new Bars(context), interrupt.Token));
    }

    private sealed class Bars(ProgressContext context) : IProgress<PipelineProgress>
    {
        private readonly Dictionary<string, ProgressTask> tasks = [];

        public void Report(PipelineProgress value)
        {
            if (!tasks.TryGetValue(value.Stage, out var task))
                tasks[value.Stage] = task = context.AddTask(value.Stage, maxValue: Math.Max(1, value.Total));
            task.MaxValue = Math.Max(1, value.Total);
            task.Value = value.Completed;
        }
    }

    private sealed class PlainLines : IProgress<PipelineProgress>
    {
        private readonly Stopwatch sinceLastLine = Stopwatch.StartNew();
        private string? stage;
        private bool stageFinished;

        public void Report(PipelineProgress value)
        {
            bool newStage = value.Stage != stage, finished = value.Completed >= value.Total;
            if (newStage)
                (stage, stageFinished) = (value.Stage, false);
            if (stageFinished || !(finished || sinceLastLine.Elapsed >= PlainInterval))
                return;
            stageFinished = finished;
            double percent = value.Total > 0 ? 100.0 * value.Completed / value.Total : 100;
            Console.Error.WriteLine($"{value.Stage}: {value.Completed}/{value.Total} ({percent:F0}%)");
            sinceLastLine.Restart();
        }
    }
}

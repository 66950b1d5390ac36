using System.CommandLine;
using GaussQuant.IO;
using GaussQuant.Pipelines;

namespace GaussQuant.Cli.Commands;

/// <summary><c>gq report RUNDIR -o RUN.html</c>: one self-contained HTML page of a training run (curves, sample grids, config, checkpoints).</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var run = new Argument<DirectoryInfo>("rundir") { Description = "A training run directory (gq train --out)." };
        var output = new Option<FileInfo>("--output", "-o") { HelpName = "RUN.html", Description = "The HTML page to write.", Required = true };
        var outputs = new OutputArguments();
        var command = new Command("report", "Write a training run's page: loss and KL curves, sample grids over the steps, the config, the checkpoints.")
        {
            run, output,
        };
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            string target = parsed.GetValue(output)!.FullName;
            using var claim = OutputClaim.ForFiles(outputs.OverwriteOf(parsed), "run.html", target);
            var page = RunReportPipeline.Run(parsed.GetValue(run)!.FullName, target);
            claim.Keep();
            foreach (string note in page.Notes)
                Console.WriteLine($"note: {note}");
            Console.WriteLine($"wrote {target} ({page.Metrics?.Rows ?? 0} logged steps, {page.SampleGrids.Count} sample grids, {page.Checkpoints.Count} checkpoints)");
            return ExitCodes.Success;
        }));
        return command;
    }
}

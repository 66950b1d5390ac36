using System.CommandLine;
using System.Globalization;
using GaussQuant.Distributed;
using GaussQuant.Evaluation.Networks;
using GaussQuant.IO;
using GaussQuant.Models;
using GaussQuant.Pipelines;
using GaussQuant.Reports.Html;
using Spectre.Console;
using GaussQuant.Experiments;

namespace GaussQuant.Cli.Commands;

/// <summary>
/// <c>gq eval --config C.yaml --ckpt M --data DIR -o REPORT.json [...]</c>: reconstruction quality (PSNR, SSIM, MS-SSIM,
/// LPIPS, rFID) and codebook usage over a folder of images, as a JSON report and a table comparing vq and mean.
/// </summary>
internal static class EvalCommand
{
    /// <param name="communicator">The job's ranks, which split the images (a job of one without a launcher).</param>
    public static Command Create(ICommunicator communicator)
    {
        var model = new ModelArguments();
        var outputs = new OutputArguments();
        var data = new Option<string>("--data") { HelpName = "DIR", Description = "Folder of images (searched recursively) or a .txt list of images.", Required = true };
        var size = new Option<int?>("--size") { HelpName = "S", Description = "Shorter side resized to S, then the centre S×S (default: the config's resolution)." };
        var limit = new Option<int?>("--limit") { HelpName = "N", Description = "Evaluate only the first N files (sorted by path)." };
        var mode = new Option<string>("--mode") { Description = "Reconstructions to measure: from the tokens (vq), from the posterior mean, or both.", DefaultValueFactory = _ => "both" };
        mode.AcceptOnlyFromAmong("vq", "mean", "both");
        var lpipsWeights = new Option<FileInfo>("--lpips-weights")
        {
            HelpName = "F",
            Description = "LPIPS backbone: torchvision alexnet-owt-7be5be79.pth / vgg16-397923af.pth, or a training checkpoint with loss.perceptual_loss.*.",
        };
        var lpipsHeads = new Option<FileInfo>("--lpips-heads") { HelpName = "F", Description = "LPIPS v0.1 lin heads: the lpips package's weights/v0.1/alex.pth or vgg.pth." };
        var lpipsNet = new Option<string>("--lpips-net") { Description = "LPIPS backbone network (alex as in the authors' eval).", DefaultValueFactory = _ => "alex" };
        lpipsNet.AcceptOnlyFromAmong("alex", "vgg");
        var fidWeights = new Option<FileInfo>("--fid-weights") { HelpName = "F", Description = "FID Inception weights: pytorch-fid's pt_inception-2015-12-05-6726825d.pth." };
        var batch = new BatchOption();
        var saveReconstructions = new Option<DirectoryInfo>("--save-recon") { HelpName = "DIR", Description = "Also write the reconstructions as PNG to DIR/vq and DIR/mean." };
        var output = new Option<FileInfo>("--output", "-o") { HelpName = "REPORT.json", Description = "The JSON report to write.", Required = true };
        var shard = new ShardOption("its partial statistics (JSON) to -o instead of the report");
        var html = new Option<FileInfo>("--html") { HelpName = "FILE", Description = "Also write a self-contained HTML page: worst/median/best reconstructions, token map, codebook usage, PSNR distribution." };

        var command = new Command("eval", "Measure reconstruction quality and codebook usage on a folder of images; writes a JSON report.")
        {
            data, size, limit, mode, lpipsWeights, lpipsHeads, lpipsNet, fidWeights, batch, saveReconstructions, output, html, shard,
        };
        command.Options.Add(new PrecisionOption());
        command.Options.Add(new CodebookSizeOption());
        model.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parsed => ExitCodes.Guard(() =>
        {
            var options = new EvaluationOptions
            {
                Data = parsed.GetValue(data)!,
                ImageSize = parsed.GetValue(size),
                Limit = parsed.GetValue(limit),
                Modes = parsed.GetValue(mode) switch
                {
                    "vq" => [ReconstructionMode.Vq],
                    "mean" => [ReconstructionMode.Mean],
                    _ => [ReconstructionMode.Vq, ReconstructionMode.Mean],
                },
                BatchSize = parsed.GetValue(batch),
                LpipsWeights = parsed.GetValue(lpipsWeights)?.FullName,
                LpipsHeads = parsed.GetValue(lpipsHeads)?.FullName,
                LpipsNetwork = parsed.GetValue(lpipsNet) == "vgg" ? LpipsNetwork.Vgg16 : LpipsNetwork.AlexNet,
                FidWeights = parsed.GetValue(fidWeights)?.FullName,
                SaveReconstructions = parsed.GetValue(saveReconstructions)?.FullName,
                Overwrite = outputs.OverwriteOf(parsed),
                Shard = ShardOption.Of(parsed, shard),
                Communicator = communicator,
            };
            options.Validate();
            string reportPath = parsed.GetValue(output)!.FullName;
            string? pagePath = parsed.GetValue(html)?.FullName;
            if (pagePath == reportPath)
                throw new ArgumentException($"--html and -o name the same file {reportPath}: the page and the JSON report need one each");
            // Rank 0 alone writes; the others' claims would only contend for its lock.
            using var claim = communicator.IsRoot ? OutputClaim.ForFiles(options.Overwrite, "report.json", reportPath) : null;
            using var pageClaim = pagePath is null || !communicator.IsRoot ? null : OutputClaim.ForFiles(options.Overwrite, "report.html", pagePath);
            using var tokenizer = model.Load(parsed);
            if (options.Shard is not null)
            {
                var part = ProgressRendering.Run((progress, cancellation) => EvaluationPipeline.RunShard(tokenizer, options, Reporter(progress), cancellation));
                part.Write(reportPath);
                claim!.Keep();
                Console.WriteLine($"wrote {reportPath}: shard {options.Shard} ({part.Evaluated} images, {part.Skipped.Count} skipped); join the shards with gq merge");
                return ExitCodes.Success;
            }
            var (report, page) = RunWithProgress(tokenizer, options, withPage: pagePath is not null);
            if (!communicator.IsRoot)
                return ExitCodes.Success;
            report.Write(reportPath);
            if (pagePath is not null)
                EvaluationPageRenderer.Write(pagePath, page!);
            claim!.Keep();
            pageClaim?.Keep();
            PrintSummary(report, reportPath);
            if (pagePath is not null)
                Console.WriteLine($"wrote {pagePath}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The shared progress display (bar on a terminal, plain lines otherwise), fed with files done.</summary>
    private static EvaluationResult RunWithProgress(TokenizerModel model, EvaluationOptions options, bool withPage) =>
        ProgressRendering.Run((progress, cancellation) =>
        {
            var reporter = Reporter(progress);
            return withPage
                ? EvaluationPipeline.RunWithPage(model, options, reporter, cancellation)
                : new EvaluationResult(EvaluationPipeline.Run(model, options, reporter, cancellation), null);
        });

    private static SynchronousProgress<EvaluationProgress> Reporter(IProgress<PipelineProgress> progress) =>
        new(state => progress.Report(new PipelineProgress("evaluate", state.FilesDone, state.FilesTotal)));

    private static void PrintSummary(EvaluationReport report, string reportPath)
    {
        var modes = report.Modes.Keys.ToList();
        var rows = new List<string[]>
        {
            Row("PSNR (dB)", modes, mode => Statistic(report.Modes[mode].Psnr, "F2")),
            Row("SSIM", modes, mode => Statistic(report.Modes[mode].Ssim, "F4")),
            Row("MS-SSIM", modes, mode => Statistic(report.Modes[mode].MsSsim, "F4")),
            Row("LPIPS", modes, mode => Statistic(report.Modes[mode].Lpips, "F4")),
            Row("rFID", modes, mode => Number(report.Modes[mode].Rfid, "F2")),
            Row("codebook usage", modes, mode => Number(report.Modes[mode].CodebookUsage * 100, "F1", " %")),
            Row("token entropy (bits)", modes, mode => Number(report.Modes[mode].TokenEntropyBits, "F2")),
            Row("perplexity", modes, mode => Number(report.Modes[mode].Perplexity, "F0")),
        };
        string rate = report.BitsPerPixel is { } bitsPerPixel ? $"{bitsPerPixel:0.###} bits per pixel" : "no tokens (continuous latent)";
        string title = $"{report.Images} images at {report.ImageSize}×{report.ImageSize}, {rate}" +
                       (report.Skipped.Count > 0 ? $", {report.Skipped.Count} skipped" : "");
        string[] header = ["metric", .. modes];
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(title);
            int[] widths = header.Select((_, column) => rows.Prepend(header).Max(row => row[column].Length)).ToArray();
            foreach (var row in rows.Prepend(header))
                Console.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
        else
        {
            var table = new Table().Title(Markup.Escape(title));
            foreach (string column in header)
                table.AddColumn(column);
            foreach (var row in rows)
                table.AddRow(row.Select(Markup.Escape).ToArray());
            AnsiConsole.Write(table);
        }
        foreach (var metric in report.NotComputed)
            Console.WriteLine($"not computed: {metric.Metric}: {metric.Reason}");
        Console.WriteLine($"wrote {reportPath}");
    }

    private static string[] Row(string metric, IEnumerable<string> modes, Func<string, string> value) => [metric, .. modes.Select(value)];

    private static string Statistic(MetricStatistics? statistics, string format) => statistics?.Mean is double mean
        ? mean.ToString(format, CultureInfo.InvariantCulture) + (statistics.Std is double std ? " ± " + std.ToString(format, CultureInfo.InvariantCulture) : "")
        : "–";

    private static string Number(double? value, string format, string unit = "") =>
        value is double number ? number.ToString(format, CultureInfo.InvariantCulture) + unit : "–";
}

using System.Diagnostics;

namespace GaussQuant.Tests.Reports;

/// <summary>
/// Debian's <c>chromium</c> run headless on a local page, once per call, with a fresh profile and every background
/// service it can be told to leave off. <see cref="Load"/> returns the DOM after the load event (<c>--dump-dom</c>), what
/// the browser logged (console messages appear as <c>INFO:CONSOLE</c> lines), and the URLs of the requests it made (from
/// <c>--log-net-log</c>); <see cref="Screenshot"/> saves a PNG of the page at a window size, light or dark.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly Lazy<string?> Executable = new(Find);

    /// <summary>Skips the calling test, saying why, when no Chromium is installed.</summary>
    public static void Require() => Skip.If(Executable.Value is null,
        "no Chromium found (chromium, chromium-browser or GQ_CHROMIUM): the real-browser test of the HTML reports is skipped; " +
        "install it with apt-get install -y chromium (.ci/run does)");

    public sealed record Page(string Dom, string Log, IReadOnlyList<string> RequestedUrls);

    public static Page Load(string htmlPath, bool dark = false)
    {
        string work = Directory.CreateTempSubdirectory("gq-chromium-").FullName;
        try
        {
            string netLog = Path.Combine(work, "net.json");
            var (output, log) = Run(work, dark, [$"--log-net-log={netLog}", "--window-size=1280,2000", "--dump-dom", new Uri(htmlPath).AbsoluteUri]);
            var urls = File.Exists(netLog)
                ? System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(netLog), "\"url\":\"([^\"]*)\"").Select(match => match.Groups[1].Value).Distinct().ToList()
                : [];
            return new Page(output, log, urls);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public static void Screenshot(string htmlPath, string pngPath, int width, int height, bool dark)
    {
        string work = Directory.CreateTempSubdirectory("gq-chromium-").FullName;
        try
        {
            Run(work, dark, [$"--window-size={width},{height}", $"--screenshot={pngPath}", new Uri(htmlPath).AbsoluteUri]);
            Assert.True(File.Exists(pngPath), $"chromium wrote no screenshot {pngPath}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static (string Output, string Log) Run(string work, bool dark, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Executable.Value!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] common =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
            $"--user-data-dir={Path.Combine(work, "profile")}",
        ];
        foreach (string argument in common.Concat(dark ? ["--force-dark-mode"] : []).Concat(arguments))
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var log = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish within two minutes");
        }
        return (output.GetAwaiter().GetResult(), log.GetAwaiter().GetResult());
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("GQ_CHROMIUM") is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : null;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser" }
            .SelectMany(name => path.Select(folder => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }
}

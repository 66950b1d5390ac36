using System.Diagnostics;

namespace GaussQuant.Tests.Cli;

/// <summary>Runs the gq built beside the tests in its own process, as a user would, and captures what it printed.</summary>
internal static class Gq
{
    public sealed record Outcome(int ExitCode, string Output, string Errors);

    public static Outcome Run(params string[] arguments) => Run(new Dictionary<string, string>(), arguments);

    public static Outcome Run(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunIn(null, environment, arguments);

    /// <param name="workingDirectory">The folder gq starts in (null: the test's), for arguments that are relative paths.</param>
    public static Outcome RunIn(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var process = Start(workingDirectory, environment, arguments);
        return Finish(process, $"gq {string.Join(' ', arguments)}");
    }

    /// <summary>Reads what a started process prints until it exits (killed after two minutes), for gq or a launcher running gq.</summary>
    public static Outcome Finish(Process process, string description)
    {
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{description} did not finish within two minutes");
        }
        return new Outcome(process.ExitCode, output, errors.GetAwaiter().GetResult());
    }

    /// <summary>Starts gq and returns at once, with its standard output and error redirected, for tests that act on a running gq.</summary>
    public static Process Start(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gq.dll"));
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return Process.Start(start)!;
    }
}

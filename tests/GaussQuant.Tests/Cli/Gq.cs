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
    public static Outcome RunIn(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunUnder([], workingDirectory, environment, arguments);

    /// <summary>Runs gq as the program of <paramref name="launcher"/> (e.g. <c>mpirun.mpich -np 2</c>): one process per rank.</summary>
    public static Outcome RunUnder(IReadOnlyList<string> launcher, string? workingDirectory, IReadOnlyDictionary<string, string> environment,
        params string[] arguments)
    {
        using var process = Start(launcher, workingDirectory, environment, arguments);
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gq {string.Join(' ', arguments)} did not finish within two minutes");
        }
        return new Outcome(process.ExitCode, output, errors.GetAwaiter().GetResult());
    }

    /// <summary>Starts gq and returns at once, with its standard output and error redirected, for tests that act on a running gq.</summary>
    public static Process Start(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start([], workingDirectory, environment, arguments);

    private static Process Start(IReadOnlyList<string> launcher, string? workingDirectory, IReadOnlyDictionary<string, string> environment,
        string[] arguments)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (string word in launcher.Skip(1))
            start.ArgumentList.Add(word);
        if (launcher.Count > 0)
            start.ArgumentList.Add(dotnet);
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gq.dll"));
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        return Process.Start(start)!;
    }
}

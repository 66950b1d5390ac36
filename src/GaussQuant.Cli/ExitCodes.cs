using System.CommandLine;
using GaussQuant.Distributed;

namespace GaussQuant.Cli;

/// <summary>
/// Runs the parsed command and maps failures to the contract's exit codes: 0 ok, 1 failure, 2 usage error, and for an
/// interrupted job 128 + the signal's number (130 after Ctrl+C, 143 after SIGTERM; see <see cref="Interruption"/>).
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        var unknown = UnknownOptions.Describe(parsed);
        var errors = unknown.Count > 0 ? unknown : parsed.Errors.Select(error => error.Message).ToList();
        if (errors.Count > 0)
        {
            foreach (string error in errors)
                Console.Error.WriteLine($"gq: {error}");
            Console.Error.WriteLine($"Run '{CommandPath(parsed.CommandResult.Command)} --help' for usage.");
            RankJob.Failed(errors[0]);
            return Usage;
        }
        if (!RankJob.Runs(parsed.CommandResult.Command))
            return Success;
        ThreadsOption.Apply(parsed);
        return parsed.Invoke();
    }

    /// <summary>Runs one command's body; the library's exceptions become a message on stderr and an exit code.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (JobFailedException failure)
        {
            // Every rank stopped in the same agreement; rank 0's message names the failed ranks and their causes.
            RankJob.FailureAgreedOn();
            Console.Error.WriteLine($"gq: {failure.Message}");
            return failure.InnerException is { } own ? CodeOf(own) : Failure;
        }
        catch (Exception error) when (CodeOf(error) != Failure || error is IOException or InvalidDataException or UnauthorizedAccessException
                                          or InvalidOperationException or NotSupportedException)
        {
            string message = error is OperationCanceledException ? "interrupted; partial outputs were removed" : error.Message;
            Console.Error.WriteLine($"gq: {message}");
            RankJob.Failed(message);
            return CodeOf(error);
        }
    }

    private static int CodeOf(Exception error) => error switch
    {
        ArgumentException => Usage,
        OperationCanceledException => Interruption.ExitCode,
        _ => Failure,
    };

    /// <summary>"gq bench encode" for the bench encode command: what to put before --help.</summary>
    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command current && current is not RootCommand; symbol = current.Parents.FirstOrDefault())
            names.Insert(0, current.Name);
        return string.Join(' ', names.Prepend("gq"));
    }
}

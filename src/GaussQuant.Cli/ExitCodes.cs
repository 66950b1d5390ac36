using System.CommandLine;

namespace GaussQuant.Cli;

/// <summary>Runs the parsed command and maps failures to the contract's exit codes: 0 ok, 1 failure, 2 usage error.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static int Run(RootCommand root, string[] args)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"gq: {error.Message}");
            Console.Error.WriteLine("Run 'gq --help' for usage.");
            return Usage;
        }
        return parsed.Invoke();
    }

    /// <summary>Runs one command's body; the library's exceptions become a message on stderr and an exit code.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine($"gq: {error.Message}");
            return Usage;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("gq: interrupted; partial outputs were removed");
            return Failure;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException
                                          or InvalidOperationException or NotSupportedException)
        {
            Console.Error.WriteLine($"gq: {error.Message}");
            return Failure;
        }
    }
}

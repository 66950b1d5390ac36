using System.Runtime.InteropServices;

namespace GaussQuant.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM (what <c>timeout</c>, Slurm and Kubernetes send) stop a long job the same way: the
/// first one cancels the job's token, so the pipeline removes its partial outputs (or the trainer writes its
/// checkpoint), and gq exits with the shell's convention for that signal, 128 + its number. A second signal while the
/// job winds down is left to the runtime, which ends the process at once. Outside a job the signals keep their
/// default effect.
/// </summary>
internal sealed class Interruption : IDisposable
{
    public const int InterruptExitCode = 130;
    public const int TerminateExitCode = 143;

    private static int lastExitCode = InterruptExitCode;

    private readonly CancellationTokenSource cancellation = new();
    private readonly Action<string>? onFirstSignal;
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;

    /// <param name="onFirstSignal">Told the signal's name when the job is asked to stop (e.g. to say what happens next).</param>
    public Interruption(Action<string>? onFirstSignal = null)
    {
        this.onFirstSignal = onFirstSignal;
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, "SIGINT", InterruptExitCode));
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, "SIGTERM", TerminateExitCode));
    }

    public CancellationToken Token => cancellation.Token;

    /// <summary>The exit code of the last interruption: 130 after SIGINT, 143 after SIGTERM.</summary>
    public static int ExitCode => Volatile.Read(ref lastExitCode);

    private void Stop(PosixSignalContext context, string name, int exitCode)
    {
        if (cancellation.IsCancellationRequested)
            return;
        context.Cancel = true;
        Volatile.Write(ref lastExitCode, exitCode);
        onFirstSignal?.Invoke(name);
        cancellation.Cancel();
    }

    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        cancellation.Dispose();
    }
}

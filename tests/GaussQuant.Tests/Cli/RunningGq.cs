using System.Diagnostics;

namespace GaussQuant.Tests.Cli;

/// <summary>A gq started for a test that acts on it while it runs; ends it if a failed assertion left it running.</summary>
internal sealed class RunningGq(Process process) : IDisposable
{
    public Process Process { get; } = process;

    /// <summary>Polls for a state of the file system gq reaches inside its job, failing if gq exits first.</summary>
    public static void WaitUntil(Process gq, Func<bool> reached)
    {
        var limit = Stopwatch.StartNew();
        while (!reached())
        {
            Assert.False(gq.HasExited, "gq ended before reaching the state the test waits for");
            Assert.True(limit.Elapsed < TimeSpan.FromMinutes(1), "gq did not reach the state the test waits for within a minute");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
            Process.Kill();
        Process.Dispose();
    }
}

using System.Runtime;

namespace GaussQuant.Native;

/// <summary>
/// Runs LibTorch-heavy work with the garbage collector held off. TorchSharp hands LibTorch the native handle of a
/// <c>Scalar</c> (made implicitly from a double, e.g. Adam's <c>add_(grad, alpha: 1 - β₁)</c>) without keeping the
/// managed object alive, so a collection during the call can run its finalizer, which frees the native value while
/// LibTorch still reads it. The rare result is a crash deep in an operator ("Expected false to be true … toFloat"),
/// seen in Adam's step after about 1,200 steps of a study run. With no collection while the work runs, nothing it
/// allocates can be finalized before it returns.
/// </summary>
public static class CollectionPause
{
    // What the runtime sets aside for the work's managed allocations (tensor wrappers and scalars, well under a MiB per
    // training step; image loader threads allocate from it too). Spent, the pause ends early with an ordinary collection.
    private const long BudgetBytes = 32L * 1024 * 1024;

    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        // A pause already running (nested work) covers this one; the runtime allows only one at a time.
        bool paused = GCSettings.LatencyMode != GCLatencyMode.NoGCRegion && TryStart();
        try
        {
            return work();
        }
        finally
        {
            if (paused && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                GC.EndNoGCRegion();
        }
    }

    private static bool TryStart()
    {
        try
        {
            return GC.TryStartNoGCRegion(BudgetBytes);
        }
        catch (InvalidOperationException)
        {
            return false; // another thread started one between the check and here
        }
    }
}

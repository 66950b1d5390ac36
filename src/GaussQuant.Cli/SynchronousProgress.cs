namespace GaussQuant.Cli;

/// <summary>
/// An <see cref="IProgress{T}"/> that handles each report on the reporting thread, in order (the framework's
/// <see cref="Progress{T}"/> posts to the thread pool, which can reorder lines and outlive the command).
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}

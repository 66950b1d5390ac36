using GaussQuant.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>The most recent token indices seen in training (up to a capacity), for codebook usage over a sliding window.</summary>
internal sealed class RecentTokenWindow(int codebookCount, int codebookSize, long capacity)
{
    private readonly Queue<(long[] Values, long[] Shape)> batches = new();
    private long tokens;

    public long Tokens => tokens;

    /// <summary>Adds indices [B, n, h, w]; the oldest batches leave once the window holds more than its capacity.</summary>
    public void Add(Tensor indices)
    {
        using var onCpu = indices.detach().cpu().contiguous();
        var values = onCpu.data<long>().ToArray();
        batches.Enqueue((values, onCpu.shape));
        tokens += values.Length;
        while (tokens - batches.Peek().Values.Length >= capacity)
            tokens -= batches.Dequeue().Values.Length;
    }

    public CodebookUsageReport Summarize()
    {
        var usage = new CodebookUsage(codebookCount, codebookSize);
        foreach (var (values, shape) in batches)
        {
            using var batch = tensor(values, shape);
            usage.Add(batch);
        }
        return usage.Summarize();
    }
}

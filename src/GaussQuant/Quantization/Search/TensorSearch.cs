using TorchSharp;
using static TorchSharp.torch;

namespace GaussQuant.Quantization.Search;

/// <summary>
/// The search with TorchSharp operations, for tensors on any device (CUDA in particular): tiles of rows are scored
/// against tiles of the codebook with one matrix product each, and a running maximum keeps the first best entry.
/// The score tile, rows × entries floats, never exceeds the memory budget.
/// </summary>
internal sealed class TensorSearch : IDisposable
{
    private readonly PackedCodebook codebook;
    private readonly long memoryBudgetBytes;
    private readonly Dictionary<string, Tensor> featuresByDevice = new();

    public TensorSearch(PackedCodebook codebook, long memoryBudgetBytes)
    {
        this.codebook = codebook;
        this.memoryBudgetBytes = memoryBudgetBytes;
    }

    /// <param name="weights">[rows, features] float32 on the target device.</param>
    /// <returns>int64 [rows] on the same device.</returns>
    public Tensor Search(Tensor weights)
    {
        long rows = weights.shape[0];
        var features = FeaturesOn(weights.device);
        long size = codebook.Size;
        long scoreBudget = Math.Max(1, memoryBudgetBytes / sizeof(float));
        long rowTile = Math.Clamp(scoreBudget / Math.Min(size, 4096), 1, Math.Max(rows, 1));
        long entryTile = Math.Clamp(scoreBudget / rowTile, 1, size);

        var indices = empty(rows, ScalarType.Int64, weights.device);
        for (long rowStart = 0; rowStart < rows; rowStart += rowTile)
        {
            using var scope = NewDisposeScope();
            long rowCount = Math.Min(rowTile, rows - rowStart);
            var tileWeights = weights.narrow(0, rowStart, rowCount);
            var best = full(rowCount, float.NegativeInfinity, ScalarType.Float32, weights.device);
            var bestIndex = zeros(rowCount, ScalarType.Int64, weights.device);
            for (long entryStart = 0; entryStart < size; entryStart += entryTile)
            {
                long entryCount = Math.Min(entryTile, size - entryStart);
                var scores = tileWeights.matmul(features.narrow(0, entryStart, entryCount).t());
                var (tileBest, tileIndex) = scores.max(1);
                // Strictly greater: an equal score in a later tile does not displace the first maximum.
                var better = tileBest.gt(best);
                best = where(better, tileBest, best);
                bestIndex = where(better, tileIndex.add(entryStart), bestIndex);
            }
            indices.narrow(0, rowStart, rowCount).copy_(bestIndex);
        }
        return indices;
    }

    private Tensor FeaturesOn(Device device)
    {
        string key = device.ToString();
        if (!featuresByDevice.TryGetValue(key, out var features))
        {
            // Cached across calls, so it must outlive whichever dispose scope is open now.
            features = tensor(codebook.RowMajor, new long[] { codebook.Size, codebook.Features }, device: device).DetachFromDisposeScope();
            featuresByDevice[key] = features;
        }
        return features;
    }

    public void Dispose()
    {
        foreach (var features in featuresByDevice.Values) features.Dispose();
        featuresByDevice.Clear();
    }
}

using System.Buffers;

namespace GaussQuant.Quantization.Search;

/// <summary>
/// Fused score-and-argmax over the whole codebook on the CPU, for one SIMD width.
/// <para>
/// A row's score for entry j is Σ_f w[f]·q[j, f] with q = [p², p] (the codebook entry and its square, packed once)
/// and w = [a, b] (from the posterior, see <see cref="SearchWeights"/>): a small matrix product. The codebook is
/// packed into panels of a few vectors of entries, feature-major, so a register tile of rows × vectors
/// (<typeparamref name="TTile"/>, chosen per vector width) accumulates scores with one broadcast per row and one load
/// per vector for each feature. Scores of one block of entries (a few KB, in L1) are written to scratch and scanned
/// for a new maximum before the next block is scored, so no row × K score matrix exists and memory does not grow with
/// the number of rows. Rows are split into chunks processed in parallel; within a chunk each codebook block is reused
/// by every row tile while it is in cache.
/// </para>
/// Ties keep the first maximum (lowest index), as PyTorch's argmax does.
/// </summary>
internal sealed class SimdSearchKernel<TVector, TOps, TTile> : ISearchKernel
    where TVector : struct
    where TOps : struct, IVectorOps<TVector>
    where TTile : struct, IScoreTile
{
    private const int BlockBytesTarget = 32 * 1024;
    private const int MaxEntriesPerBlock = 1024;
    // A chunk's rows share each pass over the codebook, which comes from L3 or memory (8 MiB packed at K = 65536,
    // d = 16): rows per chunk set how many multiply-adds each byte of it feeds. At 96 rows a core with two 512-bit FMA
    // units needs about 2.7 bytes per cycle of that stream; a chunk whose weights fill 64 KiB (512 rows at d = 16, still
    // L2-resident beside the codebook block) needs a fifth of that. Rows are independent, so tokens do not depend on it.
    private const int ChunkWeightBytesTarget = 64 * 1024;

    private readonly CacheAlignedFloats panels;
    private readonly int features;
    private readonly int size;
    private readonly int panelEntries;
    private readonly int entriesPerBlock;

    public SimdSearchKernel(PackedCodebook codebook)
    {
        features = codebook.Features;
        size = codebook.Size;
        panelEntries = TTile.Vectors * TOps.Width;
        panels = codebook.ToPanels(panelEntries);
        // Blocks hold whole panels: a block boundary inside a panel would score entries of the next block twice and
        // write past the block's scratch. At small d the 1,024-entry cap (not the 32 KiB) sets the size.
        int byBudget = BlockBytesTarget / (features * sizeof(float)) / panelEntries * panelEntries;
        int byCap = Math.Max(panelEntries, MaxEntriesPerBlock / panelEntries * panelEntries);
        int paddedSize = (size + panelEntries - 1) / panelEntries * panelEntries;
        entriesPerBlock = Math.Clamp(byBudget, panelEntries, Math.Min(byCap, paddedSize));
    }

    public string Name => $"simd{TOps.Width * 32}-{TTile.Rows}x{TTile.Vectors}";

    public void Search(ReadOnlySpan<float> weights, Span<long> indices, int maxThreads)
    {
        int rows = indices.Length;
        if (rows == 0) return;
        int tiles = (rows + TTile.Rows - 1) / TTile.Rows;
        int maxTilesPerChunk = Math.Max(1, ChunkWeightBytesTarget / (TTile.Rows * features * sizeof(float)));
        int tilesPerChunk = Math.Clamp((tiles + 4 * maxThreads - 1) / (4 * maxThreads), 1, maxTilesPerChunk);
        int chunks = (tiles + tilesPerChunk - 1) / tilesPerChunk;
        int rowsPerChunk = tilesPerChunk * TTile.Rows;

        // Spans cannot cross into the parallel lambda; pin the caller's memory for the duration instead.
        unsafe
        {
            fixed (float* weightPointer = weights)
            fixed (long* indexPointer = indices)
            {
                nint weightAddress = (nint)weightPointer, indexAddress = (nint)indexPointer;
                void RunChunk(int chunk)
                {
                    int first = chunk * rowsPerChunk;
                    int count = Math.Min(rowsPerChunk, rows - first);
                    var chunkWeights = new ReadOnlySpan<float>((float*)weightAddress + (long)first * features, count * features);
                    var chunkIndices = new Span<long>((long*)indexAddress + first, count);
                    SearchChunk(chunkWeights, chunkIndices);
                }

                if (chunks == 1 || maxThreads == 1)
                    for (int chunk = 0; chunk < chunks; chunk++) RunChunk(chunk);
                else
                    Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxThreads }, RunChunk);
            }
        }
    }

    private void SearchChunk(ReadOnlySpan<float> weights, Span<long> indices)
    {
        int rows = indices.Length;
        int tiles = (rows + TTile.Rows - 1) / TTile.Rows;
        int paddedRows = tiles * TTile.Rows;
        float[] paddedWeights = ArrayPool<float>.Shared.Rent(paddedRows * features);
        // Scores and maxima are stored as whole vectors; aligned, no store straddles two cache lines.
        var scratch = new CacheAlignedFloats(TTile.Rows * entriesPerBlock);
        float[] best = ArrayPool<float>.Shared.Rent(paddedRows);
        var runningMax = new CacheAlignedFloats(TTile.Rows * TOps.Width);
        try
        {
            // Padding rows have zero weights: they are scored (harmlessly) but never scanned.
            weights.CopyTo(paddedWeights);
            paddedWeights.AsSpan(weights.Length, (paddedRows - rows) * features).Clear();
            best.AsSpan(0, rows).Fill(float.NegativeInfinity);
            indices.Clear();

            for (int blockStart = 0; blockStart < size; blockStart += entriesPerBlock)
            {
                int blockEntries = Math.Min(entriesPerBlock, size - blockStart);
                int blockPanels = (blockEntries + panelEntries - 1) / panelEntries;
                // Zero-padded entries of a codebook smaller than one panel score 0 and must not count as a maximum.
                bool padded = blockEntries < blockPanels * panelEntries;
                ref float blockPanelsStart = ref panels[(long)blockStart * features];
                for (int tile = 0; tile < tiles; tile++)
                {
                    int tileRow = tile * TTile.Rows;
                    runningMax.Span.Fill(float.NegativeInfinity);
                    TTile.Score<TVector, TOps>(ref paddedWeights[tileRow * features], features, ref blockPanelsStart, blockPanels,
                        ref scratch[0], entriesPerBlock, ref runningMax[0]);
                    int tileRows = Math.Min(TTile.Rows, rows - tileRow);
                    for (int r = 0; r < tileRows; r++)
                    {
                        var scores = scratch.Span.Slice(r * entriesPerBlock, blockEntries);
                        float blockMax = padded ? MaxOf(scores) : TOps.MaxAcross(TOps.Load(ref runningMax[r * TOps.Width]));
                        // Strictly greater keeps the first maximum; the (rare) improvement is located by a scan.
                        if (blockMax > best[tileRow + r])
                        {
                            best[tileRow + r] = blockMax;
                            indices[tileRow + r] = blockStart + scores.IndexOf(blockMax);
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(paddedWeights);
            ArrayPool<float>.Shared.Return(best);
        }
    }

    private static float MaxOf(ReadOnlySpan<float> scores)
    {
        float max = float.NegativeInfinity;
        foreach (float score in scores) max = MathF.Max(max, score);
        return max;
    }
}

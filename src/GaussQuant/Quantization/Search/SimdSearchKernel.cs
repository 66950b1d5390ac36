using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GaussQuant.Quantization.Search;

/// <summary>
/// Fused score-and-argmax over the whole codebook on the CPU, for one SIMD width.
/// <para>
/// A row's score for entry j is Σ_f w[f]·q[j, f] with q = [p², p] (the codebook entry and its square, packed once)
/// and w = [a, b] (from the posterior, see <see cref="SearchWeights"/>): a small matrix product. The codebook is
/// packed into panels of 2·width entries, feature-major, so a 6-row × 2-vector register tile accumulates scores with
/// one broadcast and two loads per six fused multiply-adds. Scores of one block of entries (a few KB, in L1) are
/// written to scratch and scanned for a new maximum before the next block is scored, so no row × K score matrix exists
/// and memory does not grow with the number of rows. Rows are split into chunks processed in parallel; within a chunk
/// each codebook block is reused by every row tile while it is in cache.
/// </para>
/// Ties keep the first maximum (lowest index), as PyTorch's argmax does.
/// </summary>
internal sealed class SimdSearchKernel<TVector, TOps> : ISearchKernel
    where TVector : struct
    where TOps : struct, IVectorOps<TVector>
{
    private const int RowsPerTile = 6;
    private const int BlockBytesTarget = 32 * 1024;
    // A chunk's rows share each pass over the codebook, which comes from L3 or memory (8 MiB packed at K = 65536,
    // d = 16): rows per chunk set how many multiply-adds each byte of it feeds. At 96 rows a core with two 512-bit FMA
    // units needs about 2.7 bytes per cycle of that stream; a chunk whose weights fill 64 KiB (512 rows at d = 16, still
    // L2-resident beside the codebook block) needs a fifth of that. Rows are independent, so tokens do not depend on it.
    private const int ChunkWeightBytesTarget = 64 * 1024;

    private readonly float[] panels;
    private readonly int features;
    private readonly int size;
    private readonly int panelEntries;
    private readonly int entriesPerBlock;

    public SimdSearchKernel(PackedCodebook codebook)
    {
        features = codebook.Features;
        size = codebook.Size;
        panelEntries = 2 * TOps.Width;
        panels = codebook.ToPanels(panelEntries);
        int byBudget = BlockBytesTarget / (features * sizeof(float)) / panelEntries * panelEntries;
        int paddedSize = (size + panelEntries - 1) / panelEntries * panelEntries;
        entriesPerBlock = Math.Clamp(byBudget, panelEntries, Math.Min(1024, paddedSize));
    }

    public string Name => $"simd{TOps.Width * 32}";

    public void Search(ReadOnlySpan<float> weights, Span<long> indices, int maxThreads)
    {
        int rows = indices.Length;
        if (rows == 0) return;
        int tiles = (rows + RowsPerTile - 1) / RowsPerTile;
        int maxTilesPerChunk = Math.Max(1, ChunkWeightBytesTarget / (RowsPerTile * features * sizeof(float)));
        int tilesPerChunk = Math.Clamp((tiles + 4 * maxThreads - 1) / (4 * maxThreads), 1, maxTilesPerChunk);
        int chunks = (tiles + tilesPerChunk - 1) / tilesPerChunk;
        int rowsPerChunk = tilesPerChunk * RowsPerTile;

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
        int tiles = (rows + RowsPerTile - 1) / RowsPerTile;
        int paddedRows = tiles * RowsPerTile;
        float[] paddedWeights = ArrayPool<float>.Shared.Rent(paddedRows * features);
        float[] scratch = ArrayPool<float>.Shared.Rent(RowsPerTile * entriesPerBlock);
        float[] best = ArrayPool<float>.Shared.Rent(paddedRows);
        float[] runningMax = new float[RowsPerTile * TOps.Width];
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
                    int tileRow = tile * RowsPerTile;
                    runningMax.AsSpan().Fill(float.NegativeInfinity);
                    ScoreTile(ref paddedWeights[tileRow * features], ref blockPanelsStart, blockPanels, scratch, runningMax);
                    int tileRows = Math.Min(RowsPerTile, rows - tileRow);
                    for (int r = 0; r < tileRows; r++)
                    {
                        var scores = scratch.AsSpan(r * entriesPerBlock, blockEntries);
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
            ArrayPool<float>.Shared.Return(scratch);
            ArrayPool<float>.Shared.Return(best);
        }
    }

    /// <summary>
    /// Scores six rows against <paramref name="panelCount"/> panels: row r's scores go to scratch[r·entriesPerBlock ..],
    /// and its lane-wise maximum is folded into runningMax[r·width ..] while the scores are still in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreTile(ref float tileWeights, ref float firstPanel, int panelCount, float[] scratch, float[] runningMax)
    {
        int width = TOps.Width;
        int featureCount = features;
        int step = panelEntries;
        int stride = entriesPerBlock;
        int panelFloats = featureCount * step;
        ref float w0 = ref tileWeights;
        ref float w1 = ref Unsafe.Add(ref w0, features);
        ref float w2 = ref Unsafe.Add(ref w1, features);
        ref float w3 = ref Unsafe.Add(ref w2, features);
        ref float w4 = ref Unsafe.Add(ref w3, features);
        ref float w5 = ref Unsafe.Add(ref w4, features);
        ref float output = ref MemoryMarshal.GetArrayDataReference(scratch);

        for (int panel = 0; panel < panelCount; panel++)
        {
            ref float q = ref Unsafe.Add(ref firstPanel, (nint)panel * panelFloats);
            TVector s00 = TOps.Zero, s01 = TOps.Zero, s10 = TOps.Zero, s11 = TOps.Zero, s20 = TOps.Zero, s21 = TOps.Zero;
            TVector s30 = TOps.Zero, s31 = TOps.Zero, s40 = TOps.Zero, s41 = TOps.Zero, s50 = TOps.Zero, s51 = TOps.Zero;
            for (int f = 0; f < featureCount; f++)
            {
                TVector low = TOps.Load(ref q);
                TVector high = TOps.Load(ref Unsafe.Add(ref q, width));
                q = ref Unsafe.Add(ref q, step);

                TVector a = TOps.Broadcast(Unsafe.Add(ref w0, f));
                s00 = TOps.MultiplyAdd(a, low, s00); s01 = TOps.MultiplyAdd(a, high, s01);
                a = TOps.Broadcast(Unsafe.Add(ref w1, f));
                s10 = TOps.MultiplyAdd(a, low, s10); s11 = TOps.MultiplyAdd(a, high, s11);
                a = TOps.Broadcast(Unsafe.Add(ref w2, f));
                s20 = TOps.MultiplyAdd(a, low, s20); s21 = TOps.MultiplyAdd(a, high, s21);
                a = TOps.Broadcast(Unsafe.Add(ref w3, f));
                s30 = TOps.MultiplyAdd(a, low, s30); s31 = TOps.MultiplyAdd(a, high, s31);
                a = TOps.Broadcast(Unsafe.Add(ref w4, f));
                s40 = TOps.MultiplyAdd(a, low, s40); s41 = TOps.MultiplyAdd(a, high, s41);
                a = TOps.Broadcast(Unsafe.Add(ref w5, f));
                s50 = TOps.MultiplyAdd(a, low, s50); s51 = TOps.MultiplyAdd(a, high, s51);
            }

            ref float o = ref Unsafe.Add(ref output, panel * step);
            TOps.Store(s00, ref o); TOps.Store(s01, ref Unsafe.Add(ref o, width)); o = ref Unsafe.Add(ref o, stride);
            TOps.Store(s10, ref o); TOps.Store(s11, ref Unsafe.Add(ref o, width)); o = ref Unsafe.Add(ref o, stride);
            TOps.Store(s20, ref o); TOps.Store(s21, ref Unsafe.Add(ref o, width)); o = ref Unsafe.Add(ref o, stride);
            TOps.Store(s30, ref o); TOps.Store(s31, ref Unsafe.Add(ref o, width)); o = ref Unsafe.Add(ref o, stride);
            TOps.Store(s40, ref o); TOps.Store(s41, ref Unsafe.Add(ref o, width)); o = ref Unsafe.Add(ref o, stride);
            TOps.Store(s50, ref o); TOps.Store(s51, ref Unsafe.Add(ref o, width));

            ref float m = ref MemoryMarshal.GetArrayDataReference(runningMax);
            TOps.Store(TOps.Max(TOps.Max(s00, s01), TOps.Load(ref m)), ref m); m = ref Unsafe.Add(ref m, width);
            TOps.Store(TOps.Max(TOps.Max(s10, s11), TOps.Load(ref m)), ref m); m = ref Unsafe.Add(ref m, width);
            TOps.Store(TOps.Max(TOps.Max(s20, s21), TOps.Load(ref m)), ref m); m = ref Unsafe.Add(ref m, width);
            TOps.Store(TOps.Max(TOps.Max(s30, s31), TOps.Load(ref m)), ref m); m = ref Unsafe.Add(ref m, width);
            TOps.Store(TOps.Max(TOps.Max(s40, s41), TOps.Load(ref m)), ref m); m = ref Unsafe.Add(ref m, width);
            TOps.Store(TOps.Max(TOps.Max(s50, s51), TOps.Load(ref m)), ref m);
        }
    }

    private static float MaxOf(ReadOnlySpan<float> scores)
    {
        float max = float.NegativeInfinity;
        foreach (float score in scores) max = MathF.Max(max, score);
        return max;
    }
}

using System.Runtime.CompilerServices;

namespace GaussQuant.Quantization.Search;

/// <summary>
/// Six rows × two vectors: 12 accumulators, two loads and a broadcast fit the 16 vector registers of AVX2 and SSE,
/// with one broadcast and two loads per six multiply-adds.
/// </summary>
internal readonly struct ScoreTile6x2 : IScoreTile
{
    public static int Rows => 6;

    public static int Vectors => 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Score<TVector, TOps>(ref float tileWeights, int features, ref float firstPanel, int panelCount,
        ref float scores, int scoreStride, ref float runningMax)
        where TVector : struct
        where TOps : struct, IVectorOps<TVector>
    {
        int width = TOps.Width;
        int panelEntries = Vectors * width;
        int panelFloats = features * panelEntries;
        ref float w0 = ref tileWeights;
        ref float w1 = ref Unsafe.Add(ref w0, features);
        ref float w2 = ref Unsafe.Add(ref w1, features);
        ref float w3 = ref Unsafe.Add(ref w2, features);
        ref float w4 = ref Unsafe.Add(ref w3, features);
        ref float w5 = ref Unsafe.Add(ref w4, features);

        for (int panel = 0; panel < panelCount; panel++)
        {
            ref float q = ref Unsafe.Add(ref firstPanel, (nint)panel * panelFloats);
            TVector s00 = TOps.Zero, s01 = TOps.Zero;
            TVector s10 = TOps.Zero, s11 = TOps.Zero;
            TVector s20 = TOps.Zero, s21 = TOps.Zero;
            TVector s30 = TOps.Zero, s31 = TOps.Zero;
            TVector s40 = TOps.Zero, s41 = TOps.Zero;
            TVector s50 = TOps.Zero, s51 = TOps.Zero;
            for (int f = 0; f < features; f++)
            {
                TVector e0 = TOps.Load(ref q);
                TVector e1 = TOps.Load(ref Unsafe.Add(ref q, width));
                q = ref Unsafe.Add(ref q, panelEntries);

                TVector a0 = TOps.Broadcast(Unsafe.Add(ref w0, f));
                s00 = TOps.MultiplyAdd(a0, e0, s00); s01 = TOps.MultiplyAdd(a0, e1, s01);
                TVector a1 = TOps.Broadcast(Unsafe.Add(ref w1, f));
                s10 = TOps.MultiplyAdd(a1, e0, s10); s11 = TOps.MultiplyAdd(a1, e1, s11);
                TVector a2 = TOps.Broadcast(Unsafe.Add(ref w2, f));
                s20 = TOps.MultiplyAdd(a2, e0, s20); s21 = TOps.MultiplyAdd(a2, e1, s21);
                TVector a3 = TOps.Broadcast(Unsafe.Add(ref w3, f));
                s30 = TOps.MultiplyAdd(a3, e0, s30); s31 = TOps.MultiplyAdd(a3, e1, s31);
                TVector a4 = TOps.Broadcast(Unsafe.Add(ref w4, f));
                s40 = TOps.MultiplyAdd(a4, e0, s40); s41 = TOps.MultiplyAdd(a4, e1, s41);
                TVector a5 = TOps.Broadcast(Unsafe.Add(ref w5, f));
                s50 = TOps.MultiplyAdd(a5, e0, s50); s51 = TOps.MultiplyAdd(a5, e1, s51);
            }

            ref float o = ref Unsafe.Add(ref scores, panel * panelEntries);
            ref float m = ref runningMax;
            TOps.Store(s00, ref o); TOps.Store(s01, ref Unsafe.Add(ref o, width));
            TOps.Store(TOps.Max(TOps.Max(s00, s01), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s10, ref o); TOps.Store(s11, ref Unsafe.Add(ref o, width));
            TOps.Store(TOps.Max(TOps.Max(s10, s11), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s20, ref o); TOps.Store(s21, ref Unsafe.Add(ref o, width));
            TOps.Store(TOps.Max(TOps.Max(s20, s21), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s30, ref o); TOps.Store(s31, ref Unsafe.Add(ref o, width));
            TOps.Store(TOps.Max(TOps.Max(s30, s31), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s40, ref o); TOps.Store(s41, ref Unsafe.Add(ref o, width));
            TOps.Store(TOps.Max(TOps.Max(s40, s41), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s50, ref o); TOps.Store(s51, ref Unsafe.Add(ref o, width));
            TOps.Store(TOps.Max(TOps.Max(s50, s51), TOps.Load(ref m)), ref m);
        }
    }
}

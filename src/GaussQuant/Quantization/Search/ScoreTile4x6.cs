using System.Runtime.CompilerServices;

namespace GaussQuant.Quantization.Search;

/// <summary>
/// Four rows × six vectors, for AVX-512's 32 registers (24 accumulators, six loads, a broadcast: 31 in use): one
/// broadcast per six multiply-adds instead of the six-row tile's one per two. On an Intel Xeon with AVX-512 this shape
/// ran 11-21 % faster than the six-row one and about 5 % faster than four rows × four vectors (docs/performance.md,
/// section 6).
/// </summary>
internal readonly struct ScoreTile4x6 : IScoreTile
{
    public static int Rows => 4;

    public static int Vectors => 6;

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

        for (int panel = 0; panel < panelCount; panel++)
        {
            ref float q = ref Unsafe.Add(ref firstPanel, (nint)panel * panelFloats);
            TVector s00 = TOps.Zero, s01 = TOps.Zero, s02 = TOps.Zero, s03 = TOps.Zero, s04 = TOps.Zero, s05 = TOps.Zero;
            TVector s10 = TOps.Zero, s11 = TOps.Zero, s12 = TOps.Zero, s13 = TOps.Zero, s14 = TOps.Zero, s15 = TOps.Zero;
            TVector s20 = TOps.Zero, s21 = TOps.Zero, s22 = TOps.Zero, s23 = TOps.Zero, s24 = TOps.Zero, s25 = TOps.Zero;
            TVector s30 = TOps.Zero, s31 = TOps.Zero, s32 = TOps.Zero, s33 = TOps.Zero, s34 = TOps.Zero, s35 = TOps.Zero;
            for (int f = 0; f < features; f++)
            {
                TVector e0 = TOps.Load(ref q);
                TVector e1 = TOps.Load(ref Unsafe.Add(ref q, width));
                TVector e2 = TOps.Load(ref Unsafe.Add(ref q, 2 * width));
                TVector e3 = TOps.Load(ref Unsafe.Add(ref q, 3 * width));
                TVector e4 = TOps.Load(ref Unsafe.Add(ref q, 4 * width));
                TVector e5 = TOps.Load(ref Unsafe.Add(ref q, 5 * width));
                q = ref Unsafe.Add(ref q, panelEntries);

                TVector a0 = TOps.Broadcast(Unsafe.Add(ref w0, f));
                s00 = TOps.MultiplyAdd(a0, e0, s00); s01 = TOps.MultiplyAdd(a0, e1, s01); s02 = TOps.MultiplyAdd(a0, e2, s02); s03 = TOps.MultiplyAdd(a0, e3, s03); s04 = TOps.MultiplyAdd(a0, e4, s04); s05 = TOps.MultiplyAdd(a0, e5, s05);
                TVector a1 = TOps.Broadcast(Unsafe.Add(ref w1, f));
                s10 = TOps.MultiplyAdd(a1, e0, s10); s11 = TOps.MultiplyAdd(a1, e1, s11); s12 = TOps.MultiplyAdd(a1, e2, s12); s13 = TOps.MultiplyAdd(a1, e3, s13); s14 = TOps.MultiplyAdd(a1, e4, s14); s15 = TOps.MultiplyAdd(a1, e5, s15);
                TVector a2 = TOps.Broadcast(Unsafe.Add(ref w2, f));
                s20 = TOps.MultiplyAdd(a2, e0, s20); s21 = TOps.MultiplyAdd(a2, e1, s21); s22 = TOps.MultiplyAdd(a2, e2, s22); s23 = TOps.MultiplyAdd(a2, e3, s23); s24 = TOps.MultiplyAdd(a2, e4, s24); s25 = TOps.MultiplyAdd(a2, e5, s25);
                TVector a3 = TOps.Broadcast(Unsafe.Add(ref w3, f));
                s30 = TOps.MultiplyAdd(a3, e0, s30); s31 = TOps.MultiplyAdd(a3, e1, s31); s32 = TOps.MultiplyAdd(a3, e2, s32); s33 = TOps.MultiplyAdd(a3, e3, s33); s34 = TOps.MultiplyAdd(a3, e4, s34); s35 = TOps.MultiplyAdd(a3, e5, s35);
            }

            ref float o = ref Unsafe.Add(ref scores, panel * panelEntries);
            ref float m = ref runningMax;
            TOps.Store(s00, ref o); TOps.Store(s01, ref Unsafe.Add(ref o, width)); TOps.Store(s02, ref Unsafe.Add(ref o, 2 * width)); TOps.Store(s03, ref Unsafe.Add(ref o, 3 * width)); TOps.Store(s04, ref Unsafe.Add(ref o, 4 * width)); TOps.Store(s05, ref Unsafe.Add(ref o, 5 * width));
            TOps.Store(TOps.Max(TOps.Max(TOps.Max(TOps.Max(s00, s01), TOps.Max(s02, s03)), TOps.Max(s04, s05)), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s10, ref o); TOps.Store(s11, ref Unsafe.Add(ref o, width)); TOps.Store(s12, ref Unsafe.Add(ref o, 2 * width)); TOps.Store(s13, ref Unsafe.Add(ref o, 3 * width)); TOps.Store(s14, ref Unsafe.Add(ref o, 4 * width)); TOps.Store(s15, ref Unsafe.Add(ref o, 5 * width));
            TOps.Store(TOps.Max(TOps.Max(TOps.Max(TOps.Max(s10, s11), TOps.Max(s12, s13)), TOps.Max(s14, s15)), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s20, ref o); TOps.Store(s21, ref Unsafe.Add(ref o, width)); TOps.Store(s22, ref Unsafe.Add(ref o, 2 * width)); TOps.Store(s23, ref Unsafe.Add(ref o, 3 * width)); TOps.Store(s24, ref Unsafe.Add(ref o, 4 * width)); TOps.Store(s25, ref Unsafe.Add(ref o, 5 * width));
            TOps.Store(TOps.Max(TOps.Max(TOps.Max(TOps.Max(s20, s21), TOps.Max(s22, s23)), TOps.Max(s24, s25)), TOps.Load(ref m)), ref m);
            o = ref Unsafe.Add(ref o, scoreStride); m = ref Unsafe.Add(ref m, width);
            TOps.Store(s30, ref o); TOps.Store(s31, ref Unsafe.Add(ref o, width)); TOps.Store(s32, ref Unsafe.Add(ref o, 2 * width)); TOps.Store(s33, ref Unsafe.Add(ref o, 3 * width)); TOps.Store(s34, ref Unsafe.Add(ref o, 4 * width)); TOps.Store(s35, ref Unsafe.Add(ref o, 5 * width));
            TOps.Store(TOps.Max(TOps.Max(TOps.Max(TOps.Max(s30, s31), TOps.Max(s32, s33)), TOps.Max(s34, s35)), TOps.Load(ref m)), ref m);
        }
    }
}

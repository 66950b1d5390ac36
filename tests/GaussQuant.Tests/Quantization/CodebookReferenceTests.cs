using GaussQuant.Quantization;

namespace GaussQuant.Tests.Quantization;

/// <summary>
/// The codebooks the authors' models use, checked against the values PyTorch 1.13 + SciPy 1.10 produced for the spec
/// (copied here from ../shared/spec/gq_codebook_reference.json and codebook_cases.jsonl, so a fresh clone can run them).
/// </summary>
public class CodebookReferenceTests
{
    [Theory]
    [InlineData(16, 65536, 42, "effbb50723ff7d93c536130bc3b48657d8e3bd8a7458dfe4882910c843eb95c8")]
    [InlineData(8, 65536, 42, "e8a016842c323b79581e085a85ed63788b917c439cc7c85d2d38c7f56ba6e42b")]
    [InlineData(4, 65536, 42, "984ac78517a6dfa0a335e335071ccb54ad877f4b58169699c5a7d544dea28069")]
    [InlineData(1, 1024, 42, "6559cd65304f6f4a9c5a3f78e4b374f768e544c2a5923637d140c056afc4be13")]
    [InlineData(2, 4096, 5, "ed36c033f2d802db4667bbc03fd26ecf511dd8ce0db12c9fa90b32bc22fc9d09")]
    [InlineData(10, 1024, 42, "d677dfe60383271d533ebc5091c5669cc780cf45891c6798c64a9c03fafe5092")]
    [InlineData(16, 4096, 1, "e67651b56105dd5ae139eb3379615059b5815b72a35b5f7a58d326c479aa4cfa")]
    [InlineData(24, 2048, 9, "8a7f83f96eaaf188c6b57bdf73c9818d5c4d07b8c33e0584ee5b9a22980b854e")]
    [InlineData(64, 256, 42, "b97e5b6a2193589748205c17d3324c9ec93e618a42f928f8b9deb1c35d48a953")]
    public void MatchesTheSpecHashes(int dimension, int size, int seed, string sha256)
    {
        var codebook = Codebook.Create(dimension, size, seed);
        Assert.Equal((dimension, size, seed), (codebook.Dimension, codebook.Size, codebook.Seed));
        Assert.Equal(size * dimension, codebook.Entries.Length);
        Assert.Equal(sha256, codebook.Sha256());
    }

    [Fact]
    public void Group16RowsMatchTheReference()
    {
        var codebook = Codebook.Create(16, 65536);
        float[][] expectedRows =
        [
            [2.8087585f, -1.2570575f, 0.92677706f, -0.20334636f, 0.071052715f, -1.5871379f, -0.11230123f, 0.6719839f, -0.7685706f, 0.29944143f, 0.8782456f, -0.7984987f, -1.7691296f, 1.1841544f, 0.38702092f, 0.4305031f],
            [-0.19096608f, 1.1431202f, -1.0624475f, 0.67632306f, -0.007484075f, 0.45167375f, 1.8446898f, -0.36757782f, 0.36705917f, -0.49111405f, -0.39512032f, 1.4432812f, 0.78859234f, -0.27314708f, -0.13707986f, -1.4601754f],
            [-2.5042446f, -0.27391455f, 0.11976262f, -2.0381076f, -1.4134446f, 0.7381644f, -2.0025911f, -0.7153651f, 1.0888864f, -0.738393f, -1.1698096f, 0.0781557f, -0.018718164f, 0.2796475f, -0.87405545f, 1.0205638f],
            [0.18036762f, 0.33376014f, -0.056206197f, 0.46857053f, 1.4267951f, -0.23785411f, 0.06785054f, 1.0137482f, -0.6673707f, 1.391828f, 0.0901609f, -0.34650677f, 0.6642551f, -1.2730148f, 1.2387747f, -0.3138626f],
        ];
        for (int row = 0; row < expectedRows.Length; row++)
            Assert.Equal(expectedRows[row], codebook.Entries.Slice(row * 16, 16).ToArray());
        float[] lastRow = [2.8079953f, 0.1906894f, -0.7837714f, 0.4505405f, 1.4441319f, 0.38867727f, 1.6732954f, -0.057727605f, 1.5935738f, 0.5622485f, 2.0624464f, -1.072568f, 0.089249894f, 0.083824225f, 0.9883902f, 1.6719024f];
        Assert.Equal(lastRow, codebook.Entries[^16..].ToArray());

        var values = codebook.Entries.ToArray();
        Assert.Equal(-4.6711530685424805f, values.Min());
        Assert.Equal(4.672177314758301f, values.Max());
        // The entries are bit-exact; only the float64 sum of K·D of them (≤ 10⁶ terms of magnitude ≤ 5) may round
        // differently: ≤ 10⁶·5·2⁻⁵³ ≈ 6e-10.
        Assert.Equal(0.7451193389418904, values.Sum(value => (double)value), 1e-9);
    }

    [Theory]
    [InlineData(16, "3aeed339ba141f4099aba1108d1b9226c4ed6bc93080b8d87d34a4f596603a0e")]
    [InlineData(8, "87bb7d27a8e504341397ce2129e7bf3bc590516f877c7b1c15ae52f92bdfbcff")]
    [InlineData(4, "dd6355b033b2bcecd880d802d6e41f141034d50f0c97064a48dc02356907b4fc")]
    public void UniformsMatchTheReference(int dimension, string sha256)
    {
        var sequence = new ScrambledSobolSequence(dimension, 42);
        int[] referenceShift = [1071071778, 112062556, 883666784, 450361855, 567281509, 60388000, 488866372, 804450624, 237376549, 663248559, 869832664, 227945268, 41270473, 946851308, 698608279, 715740367];
        Assert.Equal(referenceShift[..dimension], sequence.Shift.ToArray());
        Assert.Equal(sha256, CodebookTestData.Sha256(Uniforms(sequence, 0, 65536)));
    }

    [Fact]
    public void Group16UniformRowsMatchTheReference()
    {
        var sequence = new ScrambledSobolSequence(16, 42);
        float[] firstRows =
        [
            0.99751335f, 0.10436639f, 0.82297885f, 0.41943216f, 0.5283221f, 0.056240708f, 0.45529228f, 0.749203f, 0.22107413f, 0.6176984f, 0.8100948f, 0.21229057f, 0.038436122f, 0.881824f, 0.65062964f, 0.66658515f,
            0.42427608f, 0.87350565f, 0.14401628f, 0.7505822f, 0.4970143f, 0.674248f, 0.96745867f, 0.35659403f, 0.64321256f, 0.3116729f, 0.34637704f, 0.92552936f, 0.78482485f, 0.39237007f, 0.44548383f, 0.072120935f,
            0.0061356574f, 0.39207515f, 0.5476644f, 0.020769587f, 0.07876251f, 0.76979274f, 0.022610601f, 0.23719174f, 0.861898f, 0.23013784f, 0.121038795f, 0.5311479f, 0.49253297f, 0.610126f, 0.19104403f, 0.8462694f,
            0.571568f, 0.6307197f, 0.47758877f, 0.6803117f, 0.9231805f, 0.40599713f, 0.5270477f, 0.84464854f, 0.2522677f, 0.91801274f, 0.5359203f, 0.36448094f, 0.74673647f, 0.101506405f, 0.8922855f, 0.3768127f,
        ];
        Assert.Equal(firstRows, Uniforms(sequence, 0, 4));
        float[] lastRow = [0.99750745f, 0.5756155f, 0.21658713f, 0.6738396f, 0.92564905f, 0.65124255f, 0.9528654f, 0.4769828f, 0.94448423f, 0.71302664f, 0.9804174f, 0.14173248f, 0.53555834f, 0.5334019f, 0.8385192f, 0.9527282f];
        Assert.Equal(lastRow, Uniforms(sequence, 65535, 1));
    }

    private static float[] Uniforms(ScrambledSobolSequence sequence, long firstRow, int rowCount)
    {
        var uniforms = new float[rowCount * sequence.Dimension];
        sequence.Fill(firstRow, rowCount, uniforms);
        return uniforms;
    }
}

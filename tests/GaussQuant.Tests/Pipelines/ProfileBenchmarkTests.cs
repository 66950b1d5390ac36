using GaussQuant.Experiments;
using GaussQuant.Models;
using GaussQuant.Pipelines;

namespace GaussQuant.Tests.Pipelines;

public class ProfileBenchmarkTests
{
    [Theory]
    [InlineData(InferencePrecision.Fp32)]
    [InlineData(InferencePrecision.Bf16)]
    public void ChargesEveryConvolutionItsFlopsOnceAndEveryKindItsOwnTime(InferencePrecision precision)
    {
        var config = ExperimentLoader.Load(PipelineTestModel.SmallConfig);
        var result = ProfileBenchmark.Run(config, new ProfileBenchmarkOptions { Size = 16, BatchSize = 2, Passes = 2, Precision = precision });

        // small_model.yaml: ch 32, ch_mult [1, 2], one block per level, z 8 (moments 16), 16×16 images, f = 2.
        // Encoder convolutions, 2 flops per multiply-add per output value: conv_in 3→32 and conv_out 64→16 (8×8),
        // level 0 at 16×16: two 32→32 3×3; its downsampler 32→32 3×3 to 8×8; level 1: 32→64 and 64→64 3×3 and the
        // 32→64 nin_shortcut at 8×8; the middle: four 64→64 3×3 at 8×8.
        double At(double side) => 2.0 * 2 * side * side;
        double expected = At(16) * 3 * 32 * 9 + At(8) * 64 * 16 * 9
            + 2 * At(16) * 32 * 32 * 9 + At(8) * 32 * 32 * 9
            + At(8) * (32 * 64 * 9 + 64 * 64 * 9 + 32 * 64) + 4 * At(8) * 64 * 64 * 9;
        Assert.Equal(expected, result.FlopsOf(ProfileBenchmark.EncoderPart), 6);
        var encoder = result.Layers.Where(layer => layer.Part == ProfileBenchmark.EncoderPart).ToDictionary(layer => layer.Kind);
        Assert.Equal(2 * 2 + 2 * 2 + 1, encoder["GroupNorm"].Calls); // two per ResnetBlock, four blocks, and norm_out
        Assert.Equal(2, encoder["conv 3×3 (conv_in, conv_out)"].Calls);
        Assert.Equal(1, encoder["conv 3×3 stride 2 (Downsample)"].Calls);
        Assert.All(result.Layers, layer => Assert.True(layer.Seconds >= 0, $"{layer.Part} {layer.Kind}: {layer.Seconds} s"));
        Assert.Equal(precision, result.Precision);
        Assert.True(result.Gemm.WallGigaflops > 0 && result.Gemm.CpuGigaflops > 0);
        Assert.True(result.FlopsOf(ProfileBenchmark.DecoderPart) > expected);
    }
}

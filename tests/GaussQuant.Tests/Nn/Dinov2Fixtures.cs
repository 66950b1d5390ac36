using GaussQuant.Checkpoints;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Nn;

/// <summary>tests/fixtures/vf (tools/fixtures/make_vf_fixtures.py): small DINOv2 weights in both layouts and what timm computed with them.</summary>
internal static class Dinov2Fixtures
{
    /// <summary>The heads of the fixture models (embed 64 split four ways, not DINOv2's 64 channels a head).</summary>
    public const int Heads = 4;

    public static string Path(string name) => TestPaths.Fixture("vf", name);

    public static Dictionary<string, Tensor> Cases() => SafetensorsFile.Read(Path("dinov2_cases.safetensors"));

    /// <summary>
    /// The fixture script's inputs: x[b, c, h, w] = sin(0.11·h·(c+1) + 0.07·w + 0.5·b + phase)·cos(0.05·(h + w)·(b+1)),
    /// in float64, rounded to float32.
    /// </summary>
    public static Tensor Pattern(long batch, long height, long width, double phase = 0)
    {
        using var scope = NewDisposeScope();
        var b = arange(batch, float64).view(-1, 1, 1, 1);
        var c = arange(3, float64).view(1, -1, 1, 1);
        var h = arange(height, float64).view(1, 1, -1, 1);
        var w = arange(width, float64).view(1, 1, 1, -1);
        var x = (0.11 * h * (c + 1) + 0.07 * w + 0.5 * b + phase).sin() * (0.05 * (h + w) * (b + 1)).cos();
        return x.to(float32).MoveToOuterDisposeScope();
    }
}

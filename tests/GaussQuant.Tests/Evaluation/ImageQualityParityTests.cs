using System.Text.Json;
using GaussQuant.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

/// <summary>
/// PSNR, SSIM and MS-SSIM against the NumPy float64 port of the reference definitions
/// (tools/fixtures/make_image_quality_fixture.py). All degradations of one image run as one batch.
/// </summary>
public class ImageQualityParityTests
{
    // Both sides compute in float64 (u = 2⁻⁵³) from the same 8-bit pixels: sums over ≤ 10⁶ values and a few
    // divisions and logarithms leave ≤ 10⁻¹⁰ relative, in any order. These leave room for that and nothing more.
    private const double PsnrTolerance = 1e-6;
    private const double SimilarityTolerance = 1e-7;

    public static TheoryData<string> Images()
    {
        var names = new TheoryData<string>();
        foreach (string name in EvaluationFixture.Cases("image_quality.json").Select(entry => entry.GetProperty("name").GetString()!).Distinct())
            names.Add(name);
        return names;
    }

    [SkippableTheory]
    [MemberData(nameof(Images))]
    public void MetricsMatchTheReferenceDefinitions(string imageName)
    {
        var cases = EvaluationFixture.Cases("image_quality.json").Where(entry => entry.GetProperty("name").GetString() == imageName).ToArray();
        var image = TestImage.FromQualityCase(cases[0]);
        using var scope = NewDisposeScope();
        var reconstructions = cat(cases.Select(entry => image.Degraded(entry.GetProperty("degradation").GetString()!)).ToArray(), 0);
        var originals = image.Original().expand(reconstructions.shape);

        double[] psnr = Psnr.PerImage(originals, reconstructions);
        double[] ssim = StructuralSimilarity.Ssim(originals, reconstructions);
        double[]? multiScale = StructuralSimilarity.MultiScaleSsim(originals, reconstructions);

        for (int i = 0; i < cases.Length; i++)
        {
            string label = $"{imageName} {cases[i].GetProperty("degradation").GetString()}";
            AssertClose(cases[i].GetProperty("psnr").GetDouble(), psnr[i], PsnrTolerance, "PSNR " + label);
            AssertClose(cases[i].GetProperty("ssim").GetDouble(), ssim[i], SimilarityTolerance, "SSIM " + label);
            var expected = cases[i].GetProperty("ms_ssim");
            if (expected.ValueKind == JsonValueKind.Null)
                Assert.Null(multiScale);
            else
                AssertClose(expected.GetDouble(), multiScale![i], SimilarityTolerance, "MS-SSIM " + label);
        }
    }

    private static void AssertClose(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E2})");
}

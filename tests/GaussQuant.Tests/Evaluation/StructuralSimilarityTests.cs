using GaussQuant.Evaluation;
using static TorchSharp.torch;

namespace GaussQuant.Tests.Evaluation;

public class StructuralSimilarityTests
{
    [Fact]
    public void IdenticalImagesScoreOne()
    {
        using var image = EvaluationImages.ToSignedUnit(EvaluationImages.Synthetic("identical", 3, 176, 192), 3, 176, 192);
        Assert.Equal(1, StructuralSimilarity.Ssim(image, image)[0], 12);
        Assert.Equal(1, StructuralSimilarity.MultiScaleSsim(image, image)![0], 12);
    }

    [Fact]
    public void MultiScaleIsUnavailableAtOrBelow160Pixels()
    {
        Assert.False(StructuralSimilarity.IsMultiScaleAvailable(160, 256));
        Assert.True(StructuralSimilarity.IsMultiScaleAvailable(161, 161));
        using var small = zeros(2, 3, 160, 300);
        Assert.Null(StructuralSimilarity.MultiScaleSsim(small, small));
        Assert.Equal(2, StructuralSimilarity.Ssim(small, small).Length);
    }

    [Fact]
    public void ImagesSmallerThanTheWindowAreRejected()
    {
        using var tiny = zeros(1, 3, 10, 32);
        var error = Assert.Throws<ArgumentException>(() => StructuralSimilarity.Ssim(tiny, tiny));
        Assert.Contains("11×11", error.Message);
    }

    [Fact]
    public void OppositeImagesClipTheMultiScaleTermsAtZero()
    {
        // Inverted contrast gives negative structure terms; relu makes MS-SSIM 0 rather than NaN from a negative power.
        using var image = EvaluationImages.ToSignedUnit(EvaluationImages.Synthetic("inverted", 1, 192, 192), 1, 192, 192);
        using var inverted = -image;
        Assert.True(StructuralSimilarity.Ssim(image, inverted)[0] < 0);
        Assert.Equal(0, StructuralSimilarity.MultiScaleSsim(image, inverted)![0]);
    }
}

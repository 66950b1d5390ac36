using GaussQuant.Imaging;
using GaussQuant.Tokens;

namespace GaussQuant.Tests.Imaging;

public class BilinearResamplerTests
{
    public static TheoryData<int> ExactArraySizes => new() { 8, 16, 50 };

    [Theory]
    [MemberData(nameof(ExactArraySizes))]
    public void MatchesPillowByteForByteOnTheTinyPicture(int size)
    {
        var expected = NpyFile.Read(ImagingFixtures.Path($"rgb_resized_{size}.npy"));
        var resized = ResizeLikeTorchvision(ImagingFixtures.Decode("rgb.png"), size);
        Assert.Equal(new long[] { resized.Height, resized.Width, 3 }, expected.Shape);
        int largestDifference = resized.Pixels.Zip(expected.Data, (ours, pillow) => Math.Abs(ours - pillow)).Max();
        Assert.True(largestDifference == 0, $"resizing to {size} differs from Pillow by up to {largestDifference}");
    }

    [Fact]
    public void MatchesPillowForDownAndUpscalingAndOddShapes()
    {
        var picture = ImagingFixtures.Decode("rgb.png");
        foreach (var resize in ImagingFixtures.Resizes("tiny_resizes"))
            AssertMatches(picture, resize);
    }

    [SkippableFact]
    public void MatchesPillowOnRealPhotos()
    {
        string data = TestPaths.RequireShared("data");
        foreach (var resize in ImagingFixtures.Resizes("real_resizes"))
            AssertMatches(ImageDecoder.Decode(Path.Combine(data, resize.File)), resize);
    }

    [Fact]
    public void LeavesAnImageOfTheRequestedSizeAlone()
    {
        var picture = ImagingFixtures.Decode("rgb.png");
        Assert.Same(picture, BilinearResampler.Resize(picture, picture.Width, picture.Height));
    }

    [Fact]
    public void KeepsAFlatColourFlat()
    {
        var flat = new RgbImage(9, 7, Enumerable.Repeat((byte)200, 9 * 7 * 3).ToArray());
        Assert.All(BilinearResampler.Resize(flat, 4, 13).Pixels, value => Assert.Equal(200, value));
    }

    private static void AssertMatches(RgbImage source, ImagingFixtures.ResizeCase resize)
    {
        var resized = resize.ShorterSide is int size
            ? ResizeLikeTorchvision(source, size)
            : BilinearResampler.Resize(source, resize.Width, resize.Height);
        string what = $"{resize.File} to {resize.ShorterSide?.ToString() ?? $"{resize.Width}x{resize.Height}"}";
        Assert.Equal((resize.Width, resize.Height), (resized.Width, resized.Height));
        Assert.True(resize.Sha256 == ImagingFixtures.Sha256(resized), $"resizing {what} does not give Pillow's bytes");
    }

    private static RgbImage ResizeLikeTorchvision(RgbImage image, int size)
        => ImagePreprocessing.ResizeShorterSide(size).Apply(image, "test image");
}

using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public class ImagePreprocessingTests
{
    [Theory]
    [InlineData(481, 321, 256, 383, 256)]
    [InlineData(321, 481, 256, 256, 383)]
    [InlineData(64, 64, 48, 48, 48)]
    [InlineData(37, 23, 16, 25, 16)]
    [InlineData(3, 1000, 7, 7, 2333)]
    public void ScalesTheShorterSideAsTorchvisionDoes(int width, int height, int size, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), ImagePreprocessing.ShorterSideSize(width, height, size));
    }

    [Theory]
    [InlineData(7, 4, 2)] // (7 − 4) / 2 = 1.5 rounds to 2
    [InlineData(9, 4, 2)] // 2.5 rounds to 2 (Python rounds halves to even)
    [InlineData(11, 4, 4)] // 3.5 rounds to 4
    [InlineData(4, 4, 0)]
    public void CropsTheCentreWithPythonsRounding(int side, int size, int expectedOffset)
    {
        var image = Gradient(side, side);
        var crop = ImagePreprocessing.CenterCrop(image, size);
        Assert.Equal(image.Crop(expectedOffset, expectedOffset, size, size).Pixels, crop.Pixels);
    }

    [SkippableFact]
    public void GivesTorchvisionsEvaluationTensorsBitForBit()
    {
        string data = TestPaths.RequireShared("data");
        foreach (var resize in ImagingFixtures.Resizes("real_resizes").Where(resize => resize.EvalTensorSha256 is not null))
        {
            var image = ImagePreprocessing.ResizeCenterCrop(resize.ShorterSide!.Value)
                .Apply(ImageDecoder.Decode(Path.Combine(data, resize.File)), resize.File);
            using var tensor = ImageTensors.ToTensor(image);
            Assert.Equal(new long[] { 3, resize.ShorterSide.Value, resize.ShorterSide.Value }, tensor.shape);
            byte[] bytes = tensor.data<float>().ToArray().SelectMany(BitConverter.GetBytes).ToArray();
            Assert.True(resize.EvalTensorSha256 == ImagingFixtures.Sha256(bytes), $"{resize.File} at {resize.ShorterSide}");
        }
    }

    [Fact]
    public void StretchesToASquare()
    {
        var image = ImagePreprocessing.Stretch(20).Apply(Gradient(37, 23), "stretch");
        Assert.Equal((20, 20), (image.Width, image.Height));
    }

    [Fact]
    public void UsesAnImageAsItIsWhenItsSidesFitTheModel()
    {
        var image = Gradient(32, 24);
        Assert.Same(image, ImagePreprocessing.None(8).Apply(image, "fits.png"));
    }

    [Fact]
    public void RefusesAnUnresizedImageWhoseSidesDoNotFitTheModel()
    {
        var error = Assert.Throws<InvalidDataException>(() => ImagePreprocessing.None(8).Apply(Gradient(37, 24), "odd.png"));
        Assert.Contains("odd.png", error.Message);
        Assert.Contains("37x24", error.Message);
        Assert.Contains("multiples of 8", error.Message);
    }

    [Fact]
    public void RefusesNonsenseSizes()
    {
        Assert.Throws<ArgumentException>(() => ImagePreprocessing.ResizeCenterCrop(0));
        Assert.Throws<ArgumentException>(() => ImagePreprocessing.None(0));
    }

    internal static RgbImage Gradient(int width, int height)
    {
        var pixels = new byte[3 * width * height];
        for (int index = 0; index < pixels.Length; index++)
            pixels[index] = (byte)(index * 7 % 251);
        return new RgbImage(width, height, pixels);
    }

    [Theory]
    [InlineData(180_000, 1)]
    [InlineData(1, 180_000)]
    public void AnImageTooLongForItsResizeIsRefusedNamingIt(int width, int height)
    {
        // Resizing the shorter side to 64 would make 11,520,000 × 64 pixels; the byte count overflowed an int.
        var image = new RgbImage(width, height, new byte[3 * width * height]);
        var error = Assert.Throws<InvalidDataException>(() => ImagePreprocessing.ResizeCenterCrop(64).Apply(image, "thin.png"));
        Assert.Contains($"thin.png: resizing its {width}x{height} pixels to a shorter side of 64 would make 737280000 pixels", error.Message);
    }

    [Fact]
    public void TheLoaderTurnsATooLongImageIntoASkippableFailure()
    {
        using var folder = new GaussQuant.Tests.Pipelines.TemporaryFolder();
        string path = folder["thin.png"];
        ImageEncoder.WritePng(path, new RgbImage(180_000, 1, new byte[3 * 180_000]));
        var result = new ImageLoader(ImagePreprocessing.ResizeCenterCrop(64), workers: 1).LoadOne(0, path);
        Assert.Null(result.Image);
        Assert.Contains("would make 737280000 pixels", result.Error);
    }
}

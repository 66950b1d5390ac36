using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public class ImageDecoderTests
{
    [Theory]
    [InlineData("rgb.png")]
    [InlineData("rgba.png")]
    [InlineData("gray.png")]
    [InlineData("gray_alpha.png")]
    [InlineData("palette_transparent.png")]
    [InlineData("rgb16.png")]
    [InlineData("baseline.jpg")]
    [InlineData("progressive.jpg")]
    [InlineData("gray.jpg")]
    [InlineData("cmyk.jpg")]
    [InlineData("lossy.webp")]
    [InlineData("lossless_alpha.webp")]
    [InlineData("rgb.bmp")]
    public void GivesPillowsRgbPixels(string name)
    {
        var image = ImagingFixtures.Decode(name);
        var expected = ImagingFixtures.Decoded(name);
        Assert.Equal(expected.GetProperty("width").GetInt32(), image.Width);
        Assert.Equal(expected.GetProperty("height").GetInt32(), image.Height);
        Assert.Equal(expected.GetProperty("sha256").GetString(), ImagingFixtures.Sha256(image));
    }

    [Fact]
    public void DropsAlphaWithoutCompositing()
    {
        // rgba.png is rgb.png plus an alpha channel whose first pixels are fully transparent.
        Assert.Equal(ImagingFixtures.Decode("rgb.png").Pixels, ImagingFixtures.Decode("rgba.png").Pixels);
    }

    [Fact]
    public void KeepsTheHighByteOfSixteenBitGrey()
    {
        // Pillow would clip these values to 255 instead (documented on ImageDecoder).
        var image = ImagingFixtures.Decode("gray16.png");
        var expected = ImagingFixtures.Decoded("gray16.png");
        Assert.Equal(expected.GetProperty("sha256_high_byte").GetString(), ImagingFixtures.Sha256(image));
        Assert.NotEqual(expected.GetProperty("sha256").GetString(), ImagingFixtures.Sha256(image));
    }

    [Theory]
    [InlineData("truncated.png", "truncated")]
    [InlineData("truncated.jpg", "truncated")]
    [InlineData("truncated_progressive.jpg", "truncated")]
    [InlineData("random_bytes.png", "not a readable image")]
    [InlineData("empty.png", "empty")]
    [InlineData("text.png", "not a readable image")]
    [InlineData("picture.gif", "Gif images are not supported")]
    public void RefusesBrokenOrUnsupportedFilesNamingThem(string name, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => ImagingFixtures.Decode(name));
        Assert.Contains(name, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("rgb.png")]
    [InlineData("palette_transparent.png")]
    [InlineData("baseline.jpg")]
    [InlineData("lossy.webp")]
    [InlineData("lossless_alpha.webp")]
    [InlineData("rgb.bmp")]
    public void RefusesEveryFormatCutShort(string name)
    {
        byte[] whole = File.ReadAllBytes(ImagingFixtures.Path(name));
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(whole[..(whole.Length * 3 / 4)], name));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void RefusesJpegsCutAnywhere()
    {
        byte[] whole = File.ReadAllBytes(ImagingFixtures.Path("progressive.jpg"));
        ImageDecoder.Decode(whole, "whole.jpg");
        for (int length = 0; length < whole.Length; length += 37)
            Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(whole[..length], "cut.jpg"));
    }

    [Fact]
    public void AcceptsBytesAfterTheJpegEnd()
    {
        byte[] whole = File.ReadAllBytes(ImagingFixtures.Path("baseline.jpg"));
        byte[] padded = [.. whole, .. "trailing bytes some cameras append"u8];
        Assert.Equal(ImageDecoder.Decode(whole, "a.jpg").Pixels, ImageDecoder.Decode(padded, "b.jpg").Pixels);
    }

    [Fact]
    public void ReportsMissingFilesAsIoErrors()
    {
        Assert.Throws<FileNotFoundException>(() => ImageDecoder.Decode(ImagingFixtures.Path("no-such-image.png")));
    }
}

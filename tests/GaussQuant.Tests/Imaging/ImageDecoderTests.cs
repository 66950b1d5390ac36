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

    /// <summary>rgb.png with its IHDR fields rewritten (the CRC is left stale: the header check comes before any decoder).</summary>
    private static byte[] PngWithHeader(uint width, uint height)
    {
        byte[] png = File.ReadAllBytes(ImagingFixtures.Path("rgb.png"));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), height);
        return png;
    }

    [Fact]
    public void RefusesAPngDeclaringMorePixelsThanItsDataCanHoldBeforeAllocatingThem()
    {
        // 13000×13000 is within the pixel budget's order of magnitude but far beyond what a few KiB of deflate can give;
        // the decoder used to allocate the 676 MB buffer and then report truncation.
        byte[] png = PngWithHeader(13000, 13000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(png, "lying.png", maxPixels: 13000L * 13000));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the pixel buffer was allocated");
        Assert.Contains("lying.png: cannot decode the PNG image: the file is truncated or corrupt: it declares 13000x13000 pixels", error.Message);
    }

    [Fact]
    public void AHighlyCompressibleLargePngStillDecodes()
    {
        // All-black rows deflate close to the 1032 : 1 limit; the data check must not refuse honest files.
        var black = new RgbImage(2000, 2000, new byte[3 * 2000 * 2000]);
        var decoded = ImageDecoder.Decode(ImageEncoder.EncodePng(black), "black.png");
        Assert.Equal(black.Pixels, decoded.Pixels);
    }

    [Fact]
    public void RefusesImagesOverThePixelBudgetBeforeDecoding()
    {
        byte[] png = File.ReadAllBytes(ImagingFixtures.Path("rgb.png"));
        var image = ImageDecoder.Decode(png, "rgb.png");
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(png, "rgb.png", maxPixels: (long)image.Width * image.Height - 1));
        Assert.Contains($"rgb.png: {image.Width}x{image.Height} pixels is more than the", error.Message);
        Assert.Contains("GQ_MAX_IMAGE_PIXELS", error.Message);
    }

    [Theory]
    [InlineData((byte)5, "invalid PNG colour type 5")]
    [InlineData((byte)1, "invalid PNG colour type 1")]
    public void NamesAnInvalidPngColourTypeInsteadOfCallingItTruncated(byte colourType, string problem)
    {
        byte[] png = File.ReadAllBytes(ImagingFixtures.Path("rgb.png"));
        png[25] = colourType;
        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(png, "odd.png"));
        Assert.Contains("odd.png", error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain("truncated", error.Message);
    }

    [Fact]
    public void ReportsMissingFilesAsIoErrors()
    {
        Assert.Throws<FileNotFoundException>(() => ImageDecoder.Decode(ImagingFixtures.Path("no-such-image.png")));
    }
}

using GaussQuant.Evaluation;

namespace GaussQuant.Tests.Evaluation;

public class BitrateTests
{
    [Theory]
    [InlineData(1, 65536, 8, 0.25)]   // sd3unet_gq_0.25: one 16-bit token per 8×8 pixels
    [InlineData(2, 65536, 8, 0.50)]
    [InlineData(4, 65536, 8, 1.00)]
    [InlineData(1, 1024, 16, 10.0 / 256)]
    public void BitsPerPixelFollowTheCatalogue(int codebooks, long size, int factor, double expected) =>
        Assert.Equal(expected, Bitrate.BitsPerPixel(codebooks, size, factor), 12);

    [Fact]
    public void BitsPerTokenIsLog2OfTheCodebookSize()
    {
        Assert.Equal(16, Bitrate.BitsPerToken(65536));
        Assert.Equal(0, Bitrate.BitsPerToken(1));
        Assert.Equal(Math.Log2(1000), Bitrate.BitsPerToken(1000), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bitrate.BitsPerToken(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bitrate.BitsPerPixel(0, 16, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bitrate.BitsPerPixel(1, 16, 0));
    }
}

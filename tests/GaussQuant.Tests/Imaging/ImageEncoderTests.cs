using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public class ImageEncoderTests
{
    [Fact]
    public void WritesAnEightBitRgbPngThatDecodesToTheSamePixels()
    {
        var image = ImagingFixtures.Decode("rgb.png");
        string path = Path.Combine(Path.GetTempPath(), $"gq-png-{Guid.NewGuid():N}.png");
        try
        {
            ImageEncoder.WritePng(path, image);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal(8, bytes[24]); // IHDR bit depth
            Assert.Equal(2, bytes[25]); // IHDR colour type: RGB, no alpha
            Assert.Equal(image.Pixels, ImageDecoder.Decode(path).Pixels);
            Assert.Empty(GaussQuant.Tests.IO.SpecialFiles.TemporariesBeside(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LeavesNothingBehindWhenTheFolderIsMissing()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"gq-missing-{Guid.NewGuid():N}");
        Assert.Throws<DirectoryNotFoundException>(() => ImageEncoder.WritePng(Path.Combine(folder, "a.png"), new RgbImage(1, 1, new byte[3])));
        Assert.False(Directory.Exists(folder));
    }
}

using GaussQuant.Imaging;

namespace GaussQuant.Tests.Imaging;

public class RandomCropFlipTests
{
    [Fact]
    public void GivesTheSameCropsForTheSameSeed()
    {
        var image = ImagePreprocessingTests.Gradient(40, 30);
        var augmentation = new RandomCropFlip(16);
        var first = new Random(7);
        var second = new Random(7);
        for (int draw = 0; draw < 20; draw++)
            Assert.Equal(augmentation.Apply(image, first).Pixels, augmentation.Apply(image, second).Pixels);
    }

    [Fact]
    public void CropsEverywhereAndFlipsSometimes()
    {
        var image = ImagePreprocessingTests.Gradient(5, 4);
        var augmentation = new RandomCropFlip(4);
        var random = new Random(1);
        var expected = Enumerable.Range(0, 2).SelectMany(left => new[] { image.Crop(left, 0, 4, 4), image.Crop(left, 0, 4, 4).FlipHorizontal() })
            .Select(crop => Convert.ToHexString(crop.Pixels)).ToHashSet();
        var seen = Enumerable.Range(0, 200).Select(_ => Convert.ToHexString(augmentation.Apply(image, random).Pixels)).ToHashSet();
        Assert.Equal(expected, seen);
    }

    [Fact]
    public void NeverFlipsWithProbabilityZero()
    {
        var image = ImagePreprocessingTests.Gradient(8, 8);
        var augmentation = new RandomCropFlip(8, flipProbability: 0);
        var random = new Random(3);
        for (int draw = 0; draw < 10; draw++)
            Assert.Equal(image.Pixels, augmentation.Apply(image, random).Pixels);
    }

    [Fact]
    public void RefusesImagesSmallerThanTheCrop()
    {
        Assert.Throws<ArgumentException>(() => new RandomCropFlip(16).Apply(ImagePreprocessingTests.Gradient(15, 40), new Random(0)));
    }
}

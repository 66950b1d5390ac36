namespace GaussQuant.Imaging;

/// <summary>
/// Training augmentation: a uniformly placed S×S crop, then a left-right flip with the given probability.
/// Not part of the authors' pipeline (they train on centre crops); offered for training on small data sets.
/// Draws from the caller's <see cref="Random"/> in a fixed order (top, left, flip), so a seeded generator
/// consumed in input order gives the same crops on every run, however many threads decoded the images.
/// </summary>
public sealed class RandomCropFlip
{
    public RandomCropFlip(int size, double flipProbability = 0.5)
    {
        if (size <= 0)
            throw new ArgumentException($"the crop size must be positive, not {size}");
        if (!(flipProbability is >= 0 and <= 1))
            throw new ArgumentException($"the flip probability must lie in [0, 1], not {flipProbability}");
        Size = size;
        FlipProbability = flipProbability;
    }

    public int Size { get; }
    public double FlipProbability { get; }

    public RgbImage Apply(RgbImage image, Random random)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        if (image.Width < Size || image.Height < Size)
            throw new ArgumentException(
                $"cannot crop {Size}x{Size} out of a {image.Width}x{image.Height} image; resize its shorter side to at least {Size} first");
        int top = random.Next(image.Height - Size + 1);
        int left = random.Next(image.Width - Size + 1);
        bool flip = random.NextDouble() < FlipProbability;
        var crop = image.Crop(left, top, Size, Size);
        return flip ? crop.FlipHorizontal() : crop;
    }
}

using GaussQuant.IO;

namespace GaussQuant.Imaging;

/// <summary>
/// Brings a decoded image to the size a model takes, exactly as torchvision does on Pillow images
/// (<c>Resize(S)</c>, <c>CenterCrop(S)</c>, <c>Resize((S, S))</c>); see <see cref="ResizeMode"/> for the choices.
/// </summary>
public sealed record ImagePreprocessing
{
    private ImagePreprocessing(ResizeMode mode, int size, int sideMultiple, int? requiredSide = null)
    {
        if (mode != ResizeMode.None && size <= 0)
            throw new ArgumentException($"the image size must be positive, not {size}");
        if (sideMultiple <= 0)
            throw new ArgumentException($"the side multiple must be positive, not {sideMultiple}");
        Mode = mode;
        Size = size;
        SideMultiple = sideMultiple;
        RequiredSide = requiredSide;
    }

    public ResizeMode Mode { get; }

    /// <summary>The target size S; 0 when <see cref="Mode"/> is <see cref="ResizeMode.None"/>.</summary>
    public int Size { get; }

    /// <summary>What both sides of an unresized image must be multiples of (the model's downsampling factor).</summary>
    public int SideMultiple { get; }

    public static ImagePreprocessing ResizeCenterCrop(int size) => new(ResizeMode.ResizeCenterCrop, size, 1);

    public static ImagePreprocessing ResizeShorterSide(int size) => new(ResizeMode.ResizeShorterSide, size, 1);

    public static ImagePreprocessing Stretch(int size) => new(ResizeMode.Stretch, size, 1);

    /// <summary>The side both sides of an unresized image must equal (a model with a fixed positional embedding); null: any multiple.</summary>
    public int? RequiredSide { get; }

    public static ImagePreprocessing None(int sideMultiple, int? requiredSide = null) => new(ResizeMode.None, 0, sideMultiple, requiredSide);

    /// <param name="image">The decoded image.</param>
    /// <param name="name">What error messages call the image (usually its path).</param>
    public RgbImage Apply(RgbImage image, string name)
    {
        ArgumentNullException.ThrowIfNull(image);
        switch (Mode)
        {
            case ResizeMode.ResizeCenterCrop:
                return CenterCrop(ResizeShorterSideTo(image, Size, name), Size);
            case ResizeMode.ResizeShorterSide:
                return ResizeShorterSideTo(image, Size, name);
            case ResizeMode.Stretch:
                return BilinearResampler.Resize(image, Size, Size);
            default:
                if (RequiredSide is int side && (image.Width != side || image.Height != side))
                    throw new InvalidDataException(
                        $"{name}: {image.Width}x{image.Height} pixels cannot be used without resizing: the model takes {side}x{side} images only " +
                        $"(its positional embedding is fixed); resize the images to {side}x{side} or leave out --no-resize");
                if (image.Width % SideMultiple != 0 || image.Height % SideMultiple != 0)
                    throw new InvalidDataException(
                        $"{name}: {image.Width}x{image.Height} pixels cannot be used without resizing: both sides must be multiples of {SideMultiple}, the model's downsampling factor");
                return image;
        }
    }

    /// <summary>
    /// torchvision's size rule for <c>Resize(S)</c>: the shorter side becomes S and the longer side
    /// <c>int(S · long / short)</c>, truncated (a square stays square).
    /// </summary>
    public static (int Width, int Height) ShorterSideSize(int width, int height, int size)
    {
        int shorter = Math.Min(width, height), longer = Math.Max(width, height);
        // Python's int(S * long / short): the product is exact in a double, the division correctly rounded.
        int scaledLonger = (int)((double)size * longer / shorter);
        return width <= height ? (size, scaledLonger) : (scaledLonger, size);
    }

    /// <summary>
    /// torchvision's <c>CenterCrop(S)</c> on an image at least S on each side: offsets
    /// <c>int(round((side − S) / 2))</c>, with Python's rounding of halves to even.
    /// </summary>
    public static RgbImage CenterCrop(RgbImage image, int size)
    {
        if (image.Width < size || image.Height < size)
            throw new ArgumentException($"cannot crop {size}x{size} out of a {image.Width}x{image.Height} image");
        int top = (int)Math.Round((image.Height - size) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((image.Width - size) / 2.0, MidpointRounding.ToEven);
        return image.Crop(left, top, size, size);
    }

    /// <summary>
    /// The resized image is held whole before any crop, so a very long, thin picture (180000×1 at S = 64 would become
    /// 11520000×64) counts against the same pixel budget as a decoded one.
    /// </summary>
    private static RgbImage ResizeShorterSideTo(RgbImage image, int size, string name)
    {
        int shorter = Math.Min(image.Width, image.Height), longer = Math.Max(image.Width, image.Height);
        double pixels = (double)size * longer / shorter * size;
        long budget = Math.Min(ResourceLimits.Current.MaxImagePixels, ImageDecoder.MaxBufferPixels);
        if (pixels > budget)
            throw new InvalidDataException(
                $"{name}: resizing its {image.Width}x{image.Height} pixels to a shorter side of {size} would make {pixels:0} pixels, " +
                $"more than the {budget} allowed ({ResourceLimits.ImagePixelsVariable} raises the limit)");
        var (width, height) = ShorterSideSize(image.Width, image.Height, size);
        return BilinearResampler.Resize(image, width, height);
    }
}

namespace GaussQuant.Imaging;

/// <summary>One input of an <see cref="ImageLoader"/> run: the preprocessed image, or why it could not be read.</summary>
/// <param name="Index">The input's position in the list given to the loader.</param>
/// <param name="Path">The input file.</param>
/// <param name="Image">The decoded, preprocessed image; null when the input failed.</param>
/// <param name="Error">Why the input failed (the message names the file); null when it succeeded.</param>
public sealed record ImageLoadResult(int Index, string Path, RgbImage? Image, string? Error)
{
    public bool Succeeded => Image is not null;
}

namespace GaussQuant.Nn;

/// <summary>What a <see cref="ResolutionLevel"/> does to H and W after its blocks.</summary>
public enum Resampling
{
    None,

    /// <summary>Halve with a <see cref="Downsample"/> (registered as <c>downsample</c>).</summary>
    Down,

    /// <summary>Double with an <see cref="Upsample"/> (registered as <c>upsample</c>).</summary>
    Up,
}

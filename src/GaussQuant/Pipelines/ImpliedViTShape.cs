namespace GaussQuant.Pipelines;

/// <summary>The ViT encoder a weights file's shapes imply: tokens and width from the positional embedding, the patch from the patch embedding.</summary>
public sealed record ImpliedViTShape(int Tokens, int Width, int PatchSize, int Layers)
{
    /// <summary>Patches per image side (the positional embedding holds a square grid).</summary>
    public int GridSide => (int)Math.Round(Math.Sqrt(Tokens));

    /// <summary>The one image side the weights take.</summary>
    public int ImageSize => GridSide * PatchSize;
}

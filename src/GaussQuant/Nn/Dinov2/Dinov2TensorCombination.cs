namespace GaussQuant.Nn.Dinov2;

/// <summary>How the checkpoint tensors of one <see cref="Dinov2TensorSource"/> make the module's tensor.</summary>
public enum Dinov2TensorCombination
{
    /// <summary>The one key's tensor as it is.</summary>
    Copy,

    /// <summary>The keys' tensors stacked along the first dimension (Hugging Face's query, key, value → timm's qkv).</summary>
    Concatenate,

    /// <summary>Class token [1, 1, E] + the first row of the position embedding [1, 1 + N, E].</summary>
    ClassPlusFirstPosition,

    /// <summary>The position embedding without its first (class) row.</summary>
    WithoutFirstPosition,
}

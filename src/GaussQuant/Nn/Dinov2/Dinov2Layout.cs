namespace GaussQuant.Nn.Dinov2;

/// <summary>The key layouts DINOv2 weights come in.</summary>
public enum Dinov2Layout
{
    /// <summary>timm's <c>vit_*_patch14_dinov2.lvd142m</c> (what the authors load): <c>blocks.{i}.attn.qkv</c>, <c>ls1.gamma</c>, …</summary>
    Timm,

    /// <summary>Hugging Face transformers' <c>facebook/dinov2-*</c>: <c>embeddings.*</c>, <c>encoder.layer.{i}.*</c>, <c>layernorm.*</c>.</summary>
    HuggingFace,
}

using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace GaussQuant.Nn.Dinov2;

/// <summary>
/// timm's ViT <c>Attention</c>: one <c>qkv</c> projection (rows [q; k; v], with bias), softmax(q·kᵀ/√64)·v per
/// head, <c>proj</c>. Tokens [B, L, E].
/// </summary>
public sealed class Dinov2Attention : nn.Module<Tensor, Tensor>
{
    private readonly int heads;

    [ComponentName(Name = "qkv")]
    private readonly Linear queryKeyValue;
    [ComponentName(Name = "proj")]
    private readonly Linear projection;

    public Dinov2Attention(int width, int heads, Device? device = null) : base(nameof(Dinov2Attention))
    {
        this.heads = heads;
        queryKeyValue = nn.Linear(width, 3L * width, device: device);
        projection = nn.Linear(width, width, device: device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return projection.call(PackedAttention.Attend(queryKeyValue.call(tokens), heads)).MoveToOuterDisposeScope();
    }
}

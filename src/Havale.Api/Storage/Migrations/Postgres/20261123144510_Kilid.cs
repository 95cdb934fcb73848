using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Havale.Api.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Kilid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "payment_orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    deposit_number = table.Column<string>(type: "character(13)", fixedLength: true, maxLength: 13, nullable: false),
                    client_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_by_nid = table.Column<string>(type: "character(10)", fixedLength: true, maxLength: 10, nullable: false),
                    required_signatures = table.Column<int>(type: "integer", nullable: false),
                    created_utc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_update_utc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    paid_utc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    paid_by_nid = table.Column<string>(type: "character(10)", fixedLength: true, maxLength: 10, nullable: true),
                    pay_track_id = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_orders", x => x.id);
                    table.CheckConstraint("ck_payment_orders_paid", "(status = 'InProgress') = (paid_utc IS NOT NULL)");
                    table.CheckConstraint("ck_payment_orders_required_signatures", "required_signatures >= 1");
                    table.CheckConstraint("ck_payment_orders_status", "status IN ('Created', 'Pending', 'Signed', 'InProgress', 'Deleted')");
                    table.ForeignKey(
                        name: "fk_payment_orders_deposit_number",
                        column: x => x.deposit_number,
                        principalTable: "deposits",
                        principalColumn: "number",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "payment_order_ceremonies",
                columns: table => new
                {
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    nid = table.Column<string>(type: "character(10)", fixedLength: true, maxLength: 10, nullable: false),
                    signing_order = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_order_ceremonies", x => new { x.order_id, x.nid });
                    table.CheckConstraint("ck_payment_order_ceremonies_order", "signing_order >= 1 AND signing_order <= 3");
                    table.ForeignKey(
                        name: "fk_payment_order_ceremonies_order_id",
                        column: x => x.order_id,
                        principalTable: "payment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payment_order_destinations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<string>(type: "character varying(26)", maxLength: 26, nullable: false),
                    transfer_type = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    amount_rials = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    description = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    reference_code = table.Column<string>(type: "character varying(15)", maxLength: 15, nullable: true),
                    ledger_transfer_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_order_destinations", x => x.id);
                    table.CheckConstraint("ck_payment_order_destinations_amount", "amount_rials > 0");
                    table.CheckConstraint("ck_payment_order_destinations_paya_caps", "transfer_type <> 'Paya' OR (amount_rials >= 10000 AND amount_rials <= 2000000000)");
                    table.CheckConstraint("ck_payment_order_destinations_transfer_type", "transfer_type IN ('Internal', 'Paya')");
                    table.ForeignKey(
                        name: "fk_payment_order_destinations_ledger_transfer_id",
                        column: x => x.ledger_transfer_id,
                        principalTable: "ledger_transfers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_payment_order_destinations_order_id",
                        column: x => x.order_id,
                        principalTable: "payment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payment_order_history",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    nid = table.Column<string>(type: "character(10)", fixedLength: true, maxLength: 10, nullable: false),
                    description = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    at_utc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_order_history", x => x.id);
                    table.CheckConstraint("ck_payment_order_history_action", "action IN ('Create', 'Edit', 'Sign', 'Unsign', 'Pay', 'Delete')");
                    table.ForeignKey(
                        name: "fk_payment_order_history_order_id",
                        column: x => x.order_id,
                        principalTable: "payment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "payment_order_signatures",
                columns: table => new
                {
                    order_id = table.Column<long>(type: "bigint", nullable: false),
                    nid = table.Column<string>(type: "character(10)", fixedLength: true, maxLength: 10, nullable: false),
                    signed_utc = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_order_signatures", x => new { x.order_id, x.nid });
                    table.ForeignKey(
                        name: "fk_payment_order_signatures_order_id",
                        column: x => x.order_id,
                        principalTable: "payment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ux_payment_order_destinations_ledger_transfer_id",
                table: "payment_order_destinations",
                column: "ledger_transfer_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_payment_order_destinations_order_id_position",
                table: "payment_order_destinations",
                columns: new[] { "order_id", "position" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_payment_order_history_order_id",
                table: "payment_order_history",
                column: "order_id");

            migrationBuilder.CreateIndex(
                name: "ix_payment_orders_deposit_number_created_utc",
                table: "payment_orders",
                columns: new[] { "deposit_number", "created_utc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payment_order_ceremonies");

            migrationBuilder.DropTable(
                name: "payment_order_destinations");

            migrationBuilder.DropTable(
                name: "payment_order_history");

            migrationBuilder.DropTable(
                name: "payment_order_signatures");

            migrationBuilder.DropTable(
                name: "payment_orders");
        }
    }
}

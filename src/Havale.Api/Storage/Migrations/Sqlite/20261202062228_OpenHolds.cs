using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Havale.Api.Storage.Migrations.Sqlite
{
    /// <summary>
    /// An index of the holds no row resolves yet, kept by the database itself (see the PostgreSQL migration of the
    /// same name for why). SQLite's triggers run once a row, which in process costs no round trip.
    /// </summary>
    public partial class OpenHolds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE open_holds (hold_id INTEGER NOT NULL PRIMARY KEY);

                INSERT INTO open_holds (hold_id)
                SELECT hold.id FROM ledger_transfers AS hold
                WHERE hold.kind = 'Pending'
                  AND NOT EXISTS (SELECT 1 FROM ledger_transfers AS resolution WHERE resolution.pending_id = hold.id);

                CREATE TRIGGER ledger_transfers_open_hold AFTER INSERT ON ledger_transfers WHEN NEW.kind = 'Pending'
                BEGIN
                    INSERT INTO open_holds (hold_id) VALUES (NEW.id);
                END;

                CREATE TRIGGER ledger_transfers_resolve_hold AFTER INSERT ON ledger_transfers WHEN NEW.pending_id IS NOT NULL
                BEGIN
                    DELETE FROM open_holds WHERE hold_id = NEW.pending_id;
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ledger_transfers_resolve_hold;
                DROP TRIGGER ledger_transfers_open_hold;
                DROP TABLE open_holds;
                """);
        }
    }
}
